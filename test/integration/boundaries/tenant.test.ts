import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { meActivity, searchFor, unfurl } from '../message-extension/me-activity.js';

/** A tenant with a valid Bot Framework token (auth is off here, as any token the Bot Connector signed would be). */
const OTHER = '0bad7e4a-1111-4222-8333-444455556666';
const fromOther = { conversation: { tenantId: OTHER }, channelData: { tenant: { id: OTHER } } };

/**
 * Mailroom serves one tenant. Every request from another is refused before any handler: 403, no row written or
 * changed, no call to Graph, NetSuite or Teams, and no data in the answer.
 */
describe('another tenant is refused before any handler', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    expect((await h.watch('support@contoso.com')).status).toBe(200);
    await h.settle();
  });
  afterAll(async () => h?.close());

  const outside = () => ({
    graph: h.sandbox.graph.state.requests.length,
    netsuite: h.sandbox.netsuite.state.counters.requests,
    teams: h.connector.requests.length,
  });

  it.each([
    ['/watch in a channel', () => channelCommand('/watch sales@contoso.com', fromOther)],
    ['/unwatch in a channel', () => channelCommand('/unwatch support@contoso.com', fromOther)],
    ['a personal-chat command', () => activity('personalMessage', { text: '/autopilot on me', ...fromOther })],
    ['a card click (invoke)', () => activity('cardAction', fromOther)],
    ['a messaging-extension search', () => ({ ...searchFor('Fabrikam'), ...fromOther })],
    ['an install into a team', () => activity('teamInstalled', fromOther)],
    [
      'an installationUpdate removing the bot',
      () => activity('installationUpdate', { action: 'remove', ...fromOther }),
    ],
    [
      'a link unfurl',
      () => ({ ...unfurl('https://123456.app.netsuite.com/app/common/entity/custjob.nl?id=101'), ...fromOther }),
    ],
    ['a "Save to NetSuite" dialog (fetchTask)', () => ({ ...meActivity('fetchTask'), ...fromOther })],
    ['a "Save to NetSuite" submit', () => ({ ...meActivity('submitAction'), ...fromOther })],
    [
      'a records typeahead (application/search)',
      () => ({
        ...activity('cardAction', fromOther),
        name: 'application/search',
        value: { queryText: 'Fabrikam', queryOptions: { skip: 0, top: 15 }, dataset: 'netsuite.records' },
      }),
    ],
    [
      'an activity whose two tenant fields disagree',
      () => channelCommand('/watch sales@contoso.com', { channelData: { tenant: { id: OTHER } } }),
    ],
    [
      'an activity that names no tenant',
      () =>
        channelCommand('/watch sales@contoso.com', {
          conversation: { tenantId: '' },
          channelData: { tenant: { id: '' } },
        }),
    ],
  ])('%s: 403, nothing stored or changed, nothing called, nothing answered', async (_name, make) => {
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const calls = outside();
    const res = await h.send(make());
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'wrong_tenant', message: expect.any(String) } });
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(outside()).toEqual(calls);
  });

  it('still serves its own tenant, whatever the letter case of its id', async () => {
    const own = FIXTURE_IDS.tenantId.toUpperCase();
    const res = await h.send(
      channelCommand('/watch sales@contoso.com', {
        conversation: { tenantId: own },
        channelData: { tenant: { id: own } },
      }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    const rows = await h.mailroom.db.kysely.selectFrom('mailboxes').select(['tenant_id', 'address']).execute();
    expect(rows.map((r) => r.address).sort()).toEqual(['sales@contoso.com', 'support@contoso.com']);
  });

  it('refuses a Dashboard token of another tenant with 403', async () => {
    const token = await h.tabToken({ oid: '00000000-0000-4000-8000-0000000000b1', name: 'Fab', upn: 'f@fabrikam.com' });
    const ok = await fetch(`${h.url}/api/tab/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const forged = await h.tabTokenOf(OTHER, { oid: '00000000-0000-4000-8000-0000000000b1', name: 'F', upn: 'f@x' });
    for (const [method, path] of [
      ['GET', '/api/tab/me'],
      ['GET', '/api/tab/rules'],
      ['POST', '/api/tab/rules/r1/off'],
    ] as const) {
      const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${forged}` } });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'wrong_tenant', message: expect.any(String) } });
    }
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
  });
});
