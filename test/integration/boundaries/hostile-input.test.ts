import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, channelCommand, type Harness, startHarness } from '../../helpers/harness.js';
import { emailId, PEOPLE } from '../autopilot/kit.js';

/**
 * Issue 11, F7, through the real server on each database (PostgreSQL refuses a NUL in text): a NUL or a lone
 * surrogate sent to the Dashboard, a card click or a chat command is refused, changes nothing, and leaves one
 * log line.
 */
describe.each(testEngines())('hostile input on %s: refused, nothing changed, one log line', (engine) => {
  let h: Harness;
  let id: string;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    h = await startHarness({ engine, netsuite: false, logLines });
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Hostile input' });
    await h.settle();
    id = await emailId(h, 'Hostile input');
  });
  afterAll(async () => h?.close());

  async function unchanged(act: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const lines = logLines.length;
    await act();
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    return logLines.slice(lines);
  }

  it.each([
    ['a NUL in a search', 'GET', '/api/tab/associations?q=ab%00cd'],
    ['a NUL as a short search word', 'GET', '/api/tab/associations?q=%00'],
    ['a NUL in an activity filter', 'GET', '/api/tab/activity?actor=a%00b'],
    ['a NUL in a claim id', 'POST', '/api/tab/claims/x%00y/release'],
    ['a 300-character rule id', 'POST', `/api/tab/rules/${'r'.repeat(300)}/off`],
    ['a 300-character save id', 'POST', `/api/tab/associations/${'a'.repeat(300)}/retry`],
  ])('the Dashboard answers %s with 400', async (_name, method, path) => {
    const token = await h.tabToken({ oid: PEOPLE.adele.aadObjectId, name: 'Adele Vance', upn: 'adele@contoso.com' });
    const lines = await unchanged(async () => {
      const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request refused', status: 400, code: 'bad_request' })]);
  });

  it('a card click whose email id holds a NUL claims nothing', async () => {
    const lines = await unchanged(async () => {
      const res = await h.send(
        activity('cardAction', {
          from: PEOPLE.alex,
          value: { action: { type: 'Action.Execute', verb: 'claim', data: { emailId: `${id}\u0000` } } },
        }),
      );
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('Claimed by');
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'card action refused', code: 'bad_request' })]);
  });

  it('a card click naming an email Mailroom does not hold claims nothing', async () => {
    const lines = await unchanged(async () => {
      const res = await h.send(
        activity('cardAction', {
          from: PEOPLE.alex,
          value: {
            action: {
              type: 'Action.Execute',
              verb: 'claim',
              data: { emailId: '0b1e6a52-3c1d-4f7e-9a2b-5c4d3e2f1a0b' },
            },
          },
        }),
      );
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toMatch(/[Ee]mail is no longer in Mailroom/);
    });
    expect(lines).toEqual([expect.objectContaining({ code: 'card_out_of_date' })]);
  });

  it('a card click whose email id is 5,000 characters long claims nothing and reads nothing', async () => {
    const lines = await unchanged(async () => {
      const res = await h.send(
        activity('cardAction', {
          from: PEOPLE.alex,
          value: { action: { type: 'Action.Execute', verb: 'claim', data: { emailId: `${id}${'x'.repeat(5000)}` } } },
        }),
      );
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('Hostile input');
    });
    expect(lines).toEqual([expect.objectContaining({ code: 'card_out_of_date' })]);
  });

  it('a /watch of an address with a NUL watches nothing and asks Graph for no subscription', async () => {
    const subs = h.sandbox.graph.state.subscriptions.size;
    const lines = await unchanged(async () => {
      const res = await h.send(channelCommand('/watch sales\u0000@contoso.com', { from: h.admin }));
      expect(res.status).toBe(200);
    });
    expect(h.sandbox.graph.state.subscriptions.size).toBe(subs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'chat command refused' });
  });
});
