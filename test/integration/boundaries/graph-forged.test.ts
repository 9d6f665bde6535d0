import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

const OTHER_TENANT = '0bad7e4a-1111-4222-8333-444455556666';
/** A subscription another tenant's app made at Graph: Mailroom never saw its id. */
const THEIRS = '5f0e9d8c-7b6a-4594-8372-615049382716';

/**
 * The Graph webhooks, driven as an attacker who knows the URLs: Graph may send one POST holding items of several
 * apps and tenants that share a notification URL (https://learn.microsoft.com/graph/api/resources/changenotificationcollection),
 * so a batch is sorted item by item. Ours, with our secret and our tenant, are stored; every other item is dropped
 * with its reason in the request's one log line, and costs no call to Graph, Teams or NetSuite.
 */
describe('Graph notifications that are not ours, beside ones that are', () => {
  let h: Harness;
  let sub: { id: string; client_state: string; mailbox_id: string };
  let userId: string;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    h = await startHarness({ netsuite: false, logLines });
    expect((await h.watch('support@contoso.com')).status).toBe(200);
    await h.settle();
    sub = await h.mailroom.db.kysely
      .selectFrom('subscriptions')
      .select(['id', 'client_state', 'mailbox_id'])
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const mailbox = await h.mailroom.db.kysely
      .selectFrom('mailboxes')
      .select('graph_user_id')
      .where('id', '=', sub.mailbox_id)
      .executeTakeFirstOrThrow();
    userId = mailbox.graph_user_id;
  });
  afterAll(async () => h?.close());

  const outside = () => ({
    graph: h.sandbox.graph.state.requests.length,
    netsuite: h.sandbox.netsuite.state.counters.requests,
    teams: h.connector.requests.length,
  });

  const post = async (path: string, value: unknown[]) => {
    const res = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    return res.status;
  };

  const change = (messageId: string, over: Record<string, unknown> = {}) => ({
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: '2030-01-01T00:00:00Z',
    clientState: sub.client_state,
    changeType: 'created',
    resource: `Users/${userId}/Messages/${messageId}`,
    tenantId: h.sandbox.tenantId,
    resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: messageId },
    ...over,
  });

  const ingestJobs = async () =>
    (await h.mailroom.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', 'mail.ingest').execute()).map(
      (j) => (JSON.parse(j.payload) as { messageId: string }).messageId,
    );

  it('stores our one good item of a mixed batch and drops, with reasons, another tenant’s and forged ones', async () => {
    const jobsBefore = await ingestJobs();
    const lines = logLines.length;
    const status = await post('/api/graph/notifications', [
      change('AAMkAD-other-tenant', { subscriptionId: THEIRS, clientState: 'their-secret', tenantId: OTHER_TENANT }),
      change('AAMkAD-good'),
      change('AAMkAD-wrong-secret', { clientState: `${sub.client_state}x` }),
      // Our subscription and our secret, but another tenant: Graph never sends that, so it was not Graph.
      change('AAMkAD-wrong-tenant', { tenantId: OTHER_TENANT }),
    ]);
    expect(status).toBe(202);
    expect((await ingestJobs()).filter((m) => !jobsBefore.includes(m))).toEqual(['AAMkAD-good']);
    const own = logLines.slice(lines).filter((l) => String(l.route) === '/api/graph/notifications');
    expect(own).toEqual([
      expect.objectContaining({
        msg: 'graph notifications stored, some dropped',
        accepted: 1,
        rejected: 3,
        drops: {
          dropped: 3,
          reasons: { unknown_subscription: 1, client_state_mismatch: 1, tenant_mismatch: 1 },
          subscriptionIds: [THEIRS, sub.id],
        },
      }),
    ]);
  });

  it('acts on no forged lifecycle event: nothing re-created, reauthorized or caught up, nothing changed', async () => {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const calls = outside();
    const lines = logLines.length;
    const event = (over: Record<string, unknown>) => ({
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: '2030-01-01T00:00:00Z',
      tenantId: h.sandbox.tenantId,
      clientState: sub.client_state,
      lifecycleEvent: 'subscriptionRemoved',
      ...over,
    });
    const status = await post('/api/graph/lifecycle', [
      event({ subscriptionId: THEIRS, clientState: 'their-secret', tenantId: OTHER_TENANT }),
      event({ clientState: 'guess' }),
      event({ lifecycleEvent: 'missed', clientState: undefined }),
      event({ lifecycleEvent: 'reauthorizationRequired', tenantId: OTHER_TENANT }),
    ]);
    expect(status).toBe(202);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(outside()).toEqual(calls);
    expect(logLines.slice(lines)).toEqual([
      expect.objectContaining({
        msg: 'graph notifications stored, some dropped',
        accepted: 0,
        rejected: 4,
        drops: expect.objectContaining({
          reasons: { unknown_subscription: 1, client_state_mismatch: 2, tenant_mismatch: 1 },
        }),
      }),
    ]);
  });
});
