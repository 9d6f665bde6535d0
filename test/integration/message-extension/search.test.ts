import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { composeResult, meActivity, searchFor, timed } from './me-activity.js';

/** Teams drops a messaging-extension answer after 5 s. */
const TEAMS_LIMIT_MS = 5_000;

describe('messaging extension: the NetSuite search command', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('finds seeded records by name, as cards with key fields and a deep link', async () => {
    const { value: res, ms } = await timed(h.send(searchFor('Fabrikam')));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
    const result = composeResult(res.body);
    expect(result.type).toBe('result');
    const text = JSON.stringify(result.attachments);
    expect(text).toContain('Fabrikam, Inc.');
    expect(text).toContain('custjob.nl?id=101');
    expect(text).toContain('orders@fabrikam.com');
    for (const a of result.attachments) {
      expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(validateCard(a.content)).toEqual([]);
      expect(a.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    }
  });

  it('finds a contact by email and a case by number', async () => {
    const byEmail = composeResult((await h.send(searchFor('li@northwind.example'))).body);
    expect(JSON.stringify(byEmail.attachments)).toContain('Li Wei');
    const byNumber = composeResult((await h.send(searchFor('1042'))).body);
    expect(JSON.stringify(byNumber.attachments)).toContain('Order 1042 is late');
  });

  it('still answers with results when NetSuite is slow', async () => {
    h.sandbox.netsuite.setLatency(800);
    try {
      const { value: res, ms } = await timed(h.send(searchFor('Northwind')));
      expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
      expect(JSON.stringify(composeResult(res.body).attachments)).toContain('Northwind Traders');
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
  });

  it('answers in time with what it has, not an error, when NetSuite is slower than Teams waits', async () => {
    h.sandbox.netsuite.setLatency(6_000);
    try {
      const { value: res, ms } = await timed(h.send(searchFor('Wide World')));
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
      const result = composeResult(res.body);
      expect(result.type).toBe('result');
      expect(result.attachments).toEqual([]);
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
  });

  it('answers the Agents Playground, which sends no command id and an unnamed parameter', async () => {
    const res = await h.send(meActivity('query', { commandId: undefined, parameters: [{ value: 'Fabrikam' }] }));
    expect(res.status).toBe(200);
    expect(JSON.stringify(composeResult(res.body).attachments)).toContain('Fabrikam, Inc.');
  });

  it('answers an unknown command id with the command ids it has, instead of 501', async () => {
    for (const kind of ['query', 'fetchTask', 'submitAction'] as const) {
      const res = await h.send(meActivity(kind, { commandId: 'nosuchCommand' }));
      expect(res.status, kind).toBe(200);
      const words = JSON.stringify(res.body);
      expect(words, kind).toContain('unknown command id \\"nosuchCommand\\"');
      expect(words, kind).toContain('netsuiteSearch (search, parameter \\"query\\")');
    }
  });
});
