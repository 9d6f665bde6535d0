import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../bot/src/core/error-catalogue.js';
import { createServer } from '../../../bot/src/http/server.js';
import type { TabRoute } from '../../../bot/src/http/tab-routes.js';
import { createLogger } from '../../../bot/src/log.js';
import { guarded } from '../../../bot/src/tab-api/route.js';

const IDENTITY = { oid: 'o1', tid: 't1', name: 'Adele', upn: 'adele@contoso.com' };

/** F5 and F7 of issue 11: security headers on the tab, nosniff on the echo, bad input refused with one line. */
describe('HTTP hygiene', () => {
  let url: string;
  let close: () => void;
  let dir: string;
  const calls: unknown[] = [];
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-tab-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const routes: TabRoute[] = [
      {
        method: 'GET',
        path: '/api/tab/things',
        handler: async (ctx) => {
          calls.push(ctx.query);
          return { status: 200, body: { ok: true } };
        },
      },
      {
        method: 'POST',
        path: '/api/tab/things/:id/poke',
        handler: async (ctx) => {
          calls.push(ctx.params);
          return { status: 200, body: { ok: true } };
        },
      },
      {
        method: 'GET',
        path: '/api/tab/broken',
        handler: guarded(async () => {
          throw new Error('the database is on fire');
        }),
      },
    ];
    const server = createServer({
      log: createLogger('info', { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
      processActivity: async () => {
        throw new TypeError('x of undefined at /srv/adapter.js:7');
      },
      graph: {
        notifications: async (body) => {
          if (JSON.stringify(body).includes('unstorable')) throw new Error('the database is away');
          return { accepted: 0, rejected: 0 };
        },
        lifecycle: async () => ({ accepted: 0, rejected: 0 }),
      },
      ready: async () => true,
      tab: {
        staticDir: dir,
        routes,
        verify: async (h) => {
          if (h !== 'Bearer good') throw Object.assign(new Error('Sign-in required.'), { status: 401 });
          return IDENTITY;
        },
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = { authorization: 'Bearer good' };

  it('serves the tab with a CSP that lets only Teams and Microsoft 365 frame it, nosniff and no referrer', async () => {
    const res = await fetch(`${url}/tab/index.html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com https:\/\/\*\.teams\.microsoft\.com/);
    expect(csp).toContain('https://*.cloud.microsoft');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('echoes the validation token as text/plain with nosniff', async () => {
    const token = '<script>alert(1)</script>';
    const res = await fetch(`${url}/api/graph/notifications?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(token);
  });

  it.each([
    ['a NUL in the query', 'GET', '/api/tab/things?search=ab%00cd', undefined, /search holds a character/],
    ['a NUL in a path parameter', 'POST', '/api/tab/things/a%00b/poke', undefined, /id holds a character/],
    // JSON may carry half a surrogate pair ("\ud800"); PostgreSQL would refuse it.
    ['a lone surrogate in a JSON body', 'POST', '/api/tab/things/a/poke', '{"note":"x\\ud800y"}', /body\.note holds/],
  ])(
    'refuses %s with 400, without reaching the handler, and logs the cause once',
    async (_n, method, path, body, why) => {
      const before = calls.length;
      lines.length = 0;
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(why);
      expect(calls.length).toBe(before);
      expect(lines).toEqual([expect.objectContaining({ msg: 'request refused', status: 400, code: 'bad_request' })]);
    },
  );

  it('logs a tab 500 once, with its error, and answers without internals', async () => {
    lines.length = 0;
    const res = await fetch(`${url}/api/tab/broken`, { headers: auth });
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain('fire');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'tab api failed',
        err: expect.objectContaining({ message: 'the database is on fire' }),
      }),
    ]);
  });

  it('checks the token before reading a body: no token and a broken body is a 401, not a 400', async () => {
    const res = await fetch(`${url}/api/tab/things/x/poke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(401);
  });

  it('answers an unknown path 404 and a known path under another method 405 with Allow, each in the error shape, one line each', async () => {
    lines.length = 0;
    const missing = await fetch(`${url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'not_found', message: '/api/nothing-here does not exist.' },
    });
    const wrong = await fetch(`${url}/api/messages`, { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('HEAD, POST');
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request refused', status: 404, path: '/api/nothing-here' }),
      expect.objectContaining({ msg: 'request refused', status: 405, path: '/api/messages' }),
    ]);
  });

  it('serves only files inside the tab folder: a path that climbs out is a 404, and nothing outside is read', async () => {
    for (const path of ['/tab/../package.json', '/tab/%2e%2e/%2e%2e/package.json', '/tab/..%2f..%2fpackage.json']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('"name"');
    }
    const folder = await fetch(`${url}/tab/`);
    expect(folder.status).toBe(200);
    expect(folder.headers.get('content-type')).toMatch(/^text\/html/);
    expect(folder.headers.get('content-security-policy')).toContain('frame-ancestors');
    const bare = await fetch(`${url}/tab`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/tab/index.html');
  });

  it('refuses a body over the limit with 413 before the route runs, and broken JSON with 400, and keeps serving', async () => {
    const before = calls.length;
    const big = await fetch(`${url}/api/tab/things/a/poke`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const broken = await fetch(`${url}/api/tab/things/a/poke`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
    expect(calls.length).toBe(before);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers every refusal with the status and words of its code in the error catalogue, one line each', async () => {
    lines.length = 0;
    const post = (path: string, body: string) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answers = [
      await fetch(`${url}/api/nothing-here`),
      await fetch(`${url}/api/messages`, { method: 'GET' }),
      await post('/api/messages', '{"no":"type"}'),
      await post('/api/messages', '{"type":"message"}'),
      await post('/api/graph/notifications', '{"value":[{"clientState":"unstorable"}]}'),
      await post('/api/graph/notifications', '{"nothing":1}'),
    ];
    const seen: Array<[number, string]> = [];
    for (const res of answers) {
      const { error } = (await res.json()) as { error: { code: ErrorCode; message: string } };
      expect(res.status, error.code).toBe(ERROR_CATALOGUE[error.code].status);
      expect(JSON.stringify(error)).not.toMatch(/undefined|srv|database/);
      seen.push([res.status, error.code]);
    }
    expect(seen).toEqual([
      [404, 'not_found'],
      [405, 'method_not_allowed'],
      [400, 'bad_request'],
      [500, 'internal'],
      [503, 'unavailable'],
      [400, 'bad_request'],
    ]);
    expect(lines).toHaveLength(answers.length);
    expect(lines[3]).toMatchObject({ msg: 'activity failed before the adapter answered', err: { type: 'TypeError' } });
    expect(lines[4]).toMatchObject({ msg: 'could not store graph notifications', level: 50 });
  });
});
