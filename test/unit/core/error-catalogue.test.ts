import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../bot/src/core/error-catalogue.js';
import { errorPolicy } from '../../../bot/src/core/error-policy.js';
import { personWords } from '../../../bot/src/core/error-words.js';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { mapNetSuiteError } from '../../../bot/src/netsuite/map-error.js';
import { errorResponse } from '../../../bot/src/tab-api/route.js';
import { toTeamsError } from '../../../bot/src/teams/connector-failure.js';

const what = 'create message';

describe('the error catalogue', () => {
  it('gives every code a status, and every service failure words and a next step', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.status, code).toBeLessThan(600);
      if (entry.words === null) continue;
      expect(entry.words, code).toMatch(/\.$/);
      expect(entry.next, code).not.toBe('');
      expect(entry.fix, code).not.toBe('');
    }
  });

  it('retries only what passes: a defect (internal) or a refusal fails at once', () => {
    const retried = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((c) => errorPolicy(c).retry);
    expect(retried.sort()).toEqual([
      'card_waiting',
      'graph_throttled',
      'graph_unavailable',
      'netsuite_concurrency_limit',
      'netsuite_unavailable',
      'save_in_progress',
      'teams_throttled',
      'teams_unavailable',
      'unavailable',
    ]);
    expect(errorPolicy('internal')).toEqual({ retry: false, level: 'error' });
  });
});

describe('a NetSuite failure in words for the card', () => {
  it('is short, says what to do, and leaves the HTTP detail to the log', () => {
    for (const status of [401, 403, 404, 429, 500, 418]) {
      const reason = personWords(mapNetSuiteError(status, { title: 'x' }, { what }));
      expect(reason.length, String(status)).toBeLessThan(160);
      expect(reason).not.toMatch(/\(\d{3}|create message/);
    }
    expect(personWords(mapNetSuiteError(401, {}, { what }))).toContain('Ask your Mailroom admin');
  });

  it("quotes NetSuite's own words once for a refused record, from the error's detail, not its message", () => {
    const err = mapNetSuiteError(
      400,
      { 'o:errorDetails': [{ detail: 'Invalid value for the field entity.', 'o:errorCode': 'INVALID_FLD_VALUE' }] },
      { what },
    );
    expect(personWords(err)).toBe(
      'NetSuite refused it: Invalid value for the field entity. Pick another record, or fix it in NetSuite and Retry.',
    );
    // The same code without a quote says it in general words.
    expect(personWords(new MailroomError('netsuite_validation', 'NetSuite x failed (400): y'))).toBe(
      'NetSuite refused it. Pick another record, or fix it in NetSuite and Retry.',
    );
  });

  it('says a refusal written for people in its own words, its next step once', () => {
    const once = new MailroomError('license_missing', 'No seat is free. Ask your admin for one.', {
      remedy: 'Ask your admin for one.',
    });
    expect(personWords(once)).toBe('No seat is free. Ask your admin for one.');
    expect(personWords(new MailroomError('forbidden', 'Only Ana can.', { remedy: 'Ask her.' }))).toBe(
      'Only Ana can. Ask her.',
    );
  });
});

describe('the tab API answer for an error', () => {
  it("takes its status and words from the catalogue, never the service's", () => {
    const signIn = errorResponse(mapNetSuiteError(401, { title: 'Invalid login attempt.' }, { what }));
    expect(signIn.status).toBe(502);
    expect(signIn.body).toEqual({
      error: {
        code: 'netsuite_auth_failed',
        message:
          'NetSuite refused Mailroom’s sign-in. Ask your Mailroom admin to check the NetSuite integration; its log says why.',
      },
    });
    const defect = errorResponse(new TypeError('x of undefined at /srv/app.js:3'));
    expect(defect.status).toBe(500);
    expect(JSON.stringify(defect.body)).not.toMatch(/undefined|srv/);
    expect(defect.cause).toBeInstanceOf(TypeError);
  });
});

describe('a Teams failure without a status', () => {
  it('is unavailable (tried again) when Teams was not reached, and a defect otherwise', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toTeamsError(reset).code).toBe('teams_unavailable');
    expect(toTeamsError(new TypeError('x is undefined')).code).toBe('internal');
  });
});
