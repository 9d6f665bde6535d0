import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { unwatchMailbox, type WatchAccessDeps } from '../../../bot/src/core/watch.js';
import { createLogger } from '../../../bot/src/log.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import type { MemoryPorts } from './memory-ports.js';
import {
  ADELE,
  ALEX,
  bothAdmins,
  NOW,
  SALES_CHANNEL,
  SUPPORT_CHANNEL,
  WatchGraph,
  watchDbDeps,
  watchSupport,
  watchWorld,
} from './watch-graph.js';

const log = createLogger('silent');

describe('watchMailbox and unwatchMailbox against in-memory ports: Graph first, then one unit of work', () => {
  let ports: MemoryPorts;
  let graph: WatchGraph;
  let deps: WatchAccessDeps;

  beforeEach(() => {
    ({ ports, graph, deps } = watchWorld([ADELE.id]));
  });

  const kinds = () => ports.state.jobs.map((j) => j.kind);

  it('records the mailbox, its channel, its subscription, the renewal job and the audit entry together', async () => {
    const out = await watchSupport(deps);
    expect(out).toMatchObject({ kind: 'watched', isNew: true, movedFrom: null, repaired: false });
    expect(ports.state.conversations).toEqual([
      expect.objectContaining({ conversationId: SUPPORT_CHANNEL.conversationId, reference: SUPPORT_CHANNEL.reference }),
    ]);
    expect(ports.state.mailboxes).toEqual([
      expect.objectContaining({
        address: 'support@contoso.com',
        channelConversationId: SUPPORT_CHANNEL.conversationId,
      }),
    ]);
    const id = ports.state.mailboxes[0]?.id;
    expect(ports.state.subscriptions).toEqual([
      expect.objectContaining({ id: 'sub-new-1', mailboxId: id, status: 'active' }),
    ]);
    expect(ports.state.jobs).toEqual([
      expect.objectContaining({
        kind: JobKind.renew,
        payload: { subscriptionId: 'sub-new-1', mailboxId: id, action: 'renew' },
        runAt: new Date((NOW.getTime() + Date.parse('2026-11-29T10:00:00.000Z')) / 2),
      }),
    ]);
    expect(ports.state.audit).toEqual([
      expect.objectContaining({
        action: 'watch',
        subject: 'support@contoso.com',
        actor: ADELE,
        detail: { channel: 'Support', kind: 'shared' },
      }),
    ]);
    expect([...graph.subscriptions.keys()]).toEqual(['sub-new-1']);
  });

  it.each([
    ['the renewal job', () => (ports.jobs.refuse = (j) => j.kind === JobKind.renew)],
    ['the audit entry', () => (ports.audit.refuse = () => true)],
  ])('writes nothing and deletes the new Graph subscription when %s cannot be written', async (_what, refuse) => {
    refuse();
    await expect(watchSupport(deps)).rejects.toThrow(/refused the insert/);
    expect(ports.state.mailboxes).toEqual([]);
    expect(ports.state.conversations).toEqual([]);
    expect(ports.state.subscriptions).toEqual([]);
    expect(ports.state.jobs).toEqual([]);
    expect(ports.state.audit).toEqual([]);
    expect(graph.calls.filter((c) => c.startsWith('POST') || c.startsWith('DELETE'))).toEqual([
      'POST subscriptions user-support',
      'DELETE subscriptions/sub-new-1',
    ]);
    expect(graph.subscriptions.size).toBe(0);
  });

  it('still answers with the commit’s error when Graph cannot delete the subscription it just made', async () => {
    ports.audit.refuse = () => true;
    graph.failDelete = new MailroomError('graph_unavailable', 'DELETE subscriptions: 503');
    await expect(watchSupport(deps)).rejects.toThrow(/audit table refused/);
    expect(ports.state.mailboxes).toEqual([]);
  });

  it('writes nothing when Graph refuses the subscription', async () => {
    graph.failCreate = new MailroomError('graph_access_denied', 'Create subscription: 403 ErrorAccessDenied');
    await expect(watchSupport(deps)).rejects.toMatchObject({ code: 'graph_access_denied' });
    expect(ports.state.mailboxes).toEqual([]);
    expect(ports.state.audit).toEqual([]);
    expect(ports.state.jobs).toEqual([]);
  });

  it('keeps one subscription when two admins watch the mailbox at once: the later one is deleted at Graph', async () => {
    let open = () => {};
    graph.createGate = new Promise<void>((r) => {
      open = r;
    });
    const both = Promise.all([watchSupport(deps), watchSupport(bothAdmins(deps), { actor: ALEX })]);
    await graph.createsReach(2);
    open();
    const outcomes = await both;
    expect(outcomes.map((o) => o.kind)).toEqual(['watched', 'watched']);
    const active = ports.state.subscriptions.filter((x) => x.status === 'active');
    expect(active).toHaveLength(1);
    expect([...graph.subscriptions.keys()]).toEqual([active[0]?.id]);
    expect(graph.calls.filter((c) => c.startsWith('DELETE'))).toHaveLength(1);
    expect(kinds().filter((k) => k === JobKind.renew)).toHaveLength(1);
    expect(ports.state.mailboxes).toHaveLength(1);
  });

  it('refuses a member who is not an admin before Graph is asked to subscribe, and writes nothing', async () => {
    await expect(watchSupport({ ...deps, authority: { isGlobalAdmin: async () => false } })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(graph.creates()).toBe(0);
    expect(ports.state).toMatchObject({ mailboxes: [], conversations: [], subscriptions: [], jobs: [], audit: [] });
  });

  it('moves a mailbox only when confirmed, keeping its live subscription, and audits the move with it', async () => {
    await watchSupport(deps);
    const before = structuredClone(ports.state);
    expect(await watchSupport(deps, { channel: SALES_CHANNEL })).toMatchObject({
      kind: 'confirm_move',
      from: 'Support',
    });
    expect(ports.state).toEqual(before);

    ports.audit.refuse = (a) => a.action === 'move';
    await expect(watchSupport(deps, { channel: SALES_CHANNEL, confirmedMove: true })).rejects.toThrow(/audit/);
    expect(ports.state).toEqual(before);
    expect([...graph.subscriptions.keys()]).toEqual(['sub-new-1']);

    ports.audit.refuse = null;
    const out = await watchSupport(deps, { channel: SALES_CHANNEL, confirmedMove: true });
    expect(out).toMatchObject({ kind: 'watched', isNew: false, movedFrom: 'Support', repaired: false });
    expect(ports.state.mailboxes[0]).toMatchObject({ channelName: 'Sales', active: true });
    expect(ports.state.subscriptions).toEqual(before.subscriptions);
    expect(ports.state.audit.map((a) => [a.action, a.detail])).toEqual([
      ['watch', { channel: 'Support', kind: 'shared' }],
      ['move', { from: 'Support', to: 'Sales', kind: 'shared' }],
    ]);
    expect(graph.creates()).toBe(1);
  });

  it('commits a move that replaced a subscription Graph lost as one: rows, renewal, catch-up and audit', async () => {
    await watchSupport(deps);
    graph.subscriptions.clear();
    const before = structuredClone(ports.state);
    ports.jobs.refuse = (j) => j.kind === JobKind.catchup;
    await expect(watchSupport(deps, { channel: SALES_CHANNEL, confirmedMove: true })).rejects.toThrow(/jobs table/);
    expect(ports.state).toEqual(before);
    expect(graph.subscriptions.size).toBe(0);

    ports.jobs.refuse = null;
    const out = await watchSupport(deps, { channel: SALES_CHANNEL, confirmedMove: true });
    expect(out).toMatchObject({ movedFrom: 'Support', repaired: true });
    expect(ports.state.subscriptions.map((s) => [s.id, s.status])).toEqual([
      ['sub-new-1', 'removed'],
      ['sub-new-3', 'active'],
    ]);
    expect(kinds()).toEqual([JobKind.renew, JobKind.renew, JobKind.catchup]);
    expect(ports.state.jobs[2]?.payload).toMatchObject({ reason: 'resubscribed' });
    expect(ports.state.audit.map((a) => a.action)).toEqual(['watch', 'move']);
    expect([...graph.subscriptions.keys()]).toEqual(['sub-new-3']);
  });

  it('unwatches: Graph’s subscription deleted first, then rows removed, mailbox inactive and audit, together', async () => {
    await watchSupport(deps);
    const before = structuredClone(ports.state);
    ports.audit.refuse = (a) => a.action === 'unwatch';
    await expect(
      unwatchMailbox(deps, { tenantId: 't1', address: 'support@contoso.com', actor: ADELE }, log),
    ).rejects.toThrow(/audit/);
    expect(ports.state).toEqual(before);

    ports.audit.refuse = null;
    graph.seed('sub-new-1', 'user-support', '2026-11-29T10:00:00.000Z');
    await unwatchMailbox(deps, { tenantId: 't1', address: 'support@contoso.com', actor: ADELE }, log);
    expect(ports.state.mailboxes[0]?.active).toBe(false);
    expect(ports.state.subscriptions.map((s) => s.status)).toEqual(['removed']);
    expect(ports.state.audit.map((a) => [a.action, a.subject])).toEqual([
      ['watch', 'support@contoso.com'],
      ['unwatch', 'support@contoso.com'],
    ]);
    expect(graph.subscriptions.size).toBe(0);
  });

  it('refuses an unwatch by a member who is not an admin: Graph and the rows stay as they were', async () => {
    await watchSupport(deps);
    const before = structuredClone(ports.state);
    await expect(
      unwatchMailbox(
        { ...deps, authority: { isGlobalAdmin: async () => false } },
        { tenantId: 't1', address: 'support@contoso.com', actor: ALEX },
        log,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(ports.state).toEqual(before);
    expect(graph.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
  });
});

describe.each(testEngines())('watchMailbox on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  const dbDeps = (graph: WatchGraph, refuseKind?: string) =>
    watchDbDeps(db, graph, { admins: [ADELE.id], ...(refuseKind ? { refuseKind } : {}) });

  const count = async (table: 'mailboxes' | 'subscriptions' | 'jobs' | 'audit_log') =>
    Number(
      (
        await db.kysely
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('leaves no mailbox behind when Graph refuses its subscription, so nothing claims to watch it', async () => {
    const graph = new WatchGraph();
    graph.failCreate = new MailroomError('graph_access_denied', 'Create subscription: 403 ErrorAccessDenied', {
      remedy: 'Add the mailbox to the management scope.',
    });
    const deps = dbDeps(graph);
    await expect(watchSupport(deps)).rejects.toMatchObject({ code: 'graph_access_denied' });
    expect(await deps.mailboxes.byAddress('t1', 'support@contoso.com')).toBeNull();
    expect(await deps.mailboxes.listActive('t1')).toEqual([]);
  });

  it('keeps one subscription row and one at Graph when two admins watch the mailbox at once', async () => {
    const graph = new WatchGraph();
    let open = () => {};
    graph.createGate = new Promise<void>((r) => {
      open = r;
    });
    const deps = bothAdmins(dbDeps(graph));
    const both = Promise.all([watchSupport(deps), watchSupport(deps, { actor: ALEX })]);
    await graph.createsReach(2);
    open();
    await both;
    const active = await db.kysely.selectFrom('subscriptions').select('id').where('status', '=', 'active').execute();
    expect(active).toHaveLength(1);
    expect([...graph.subscriptions.keys()]).toEqual([active[0]?.id]);
    expect(await count('mailboxes')).toBe(1);
    expect(await count('subscriptions')).toBe(1);
    expect(await count('jobs')).toBe(1);
    expect(await count('audit_log')).toBe(2);
  });

  it('rolls the mailbox and subscription rows back when the renewal job cannot be queued, and unsubscribes', async () => {
    const graph = new WatchGraph();
    await expect(watchSupport(dbDeps(graph, JobKind.renew))).rejects.toThrow(/jobs table refused/);
    for (const table of ['mailboxes', 'subscriptions', 'jobs', 'audit_log'] as const)
      expect(await count(table)).toBe(0);
    expect(graph.subscriptions.size).toBe(0);

    await watchSupport(dbDeps(graph));
    for (const table of ['mailboxes', 'subscriptions', 'jobs', 'audit_log'] as const)
      expect(await count(table)).toBe(1);
    expect([...graph.subscriptions.keys()]).toEqual(['sub-new-2']);
  });
});
