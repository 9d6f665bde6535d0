import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { enqueueStartupCatchups, type UpkeepDeps, upkeepTick } from '../../../bot/src/mail/upkeep.js';
import {
  cardPostsFor,
  graphSubscription,
  makeDue,
  SUPPORT,
  storedSubscriptions,
  waitFor,
} from '../../faults/support.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

describe('subscription lifecycle: renewal, lifecycle events, re-creation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    await h.watch(SUPPORT);
    await h.settle();
  });
  afterAll(async () => h?.close());
  const upkeep = (): UpkeepDeps => ({
    db: h.mailroom.db,
    queue: h.mailroom.queue,
    mailboxes: h.mailroom.repos.mailboxes,
    clock: h.mailroom.clock,
    log: h.mailroom.log,
    catchupIntervalMinutes: 15,
  });
  const gets = (id: string) =>
    h.sandbox.graph.state.requests.filter((r) => r.method === 'GET' && r.path === `/v1.0/subscriptions/${id}`);
  const lastAnswer = () => JSON.stringify(h.connector.posts.at(-1)?.activity.attachments ?? []);

  it('schedules the renewal as a job at about half the lifetime Graph granted', async () => {
    const [stored] = await storedSubscriptions(h);
    if (!stored) throw new Error('no stored subscription');
    expect(stored.expires_at).toBe(graphSubscription(h).expirationDateTime);
    const renew = await h.mailroom.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', JobKind.renew)
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    const half = (Date.parse(stored.expires_at) - Date.parse(renew.created_at)) / 2;
    const runIn = Date.parse(renew.run_at) - Date.parse(renew.created_at);
    expect(Math.abs(runIn - half)).toBeLessThan(60_000);
  });

  it('renews with PATCH when the job comes due, stores the new expiry and schedules the next renewal', async () => {
    const sub = graphSubscription(h);
    const before = sub.expirationDateTime;
    await new Promise((r) => setTimeout(r, 20));
    expect(await makeDue(h, JobKind.renew)).toBe(1);
    await waitFor(async () => {
      const [s] = await storedSubscriptions(h);
      return s !== undefined && s.expires_at > before;
    });
    expect(h.sandbox.graph.state.requests.some((r) => r.method === 'PATCH' && r.path.includes(sub.id))).toBe(true);
    const [s] = await storedSubscriptions(h);
    expect(s?.expires_at).toBe(graphSubscription(h).expirationDateTime);
    await waitFor(async () => {
      const q = await h.mailroom.db.kysely
        .selectFrom('jobs')
        .select('run_at')
        .where('kind', '=', JobKind.renew)
        .where('status', '=', 'queued')
        .execute();
      return q.length === 1 && Date.parse(q[0]?.run_at ?? '') > Date.now() + 24 * 3600_000;
    });
  });

  it('answers reauthorizationRequired by reauthorizing the subscription', async () => {
    const sub = graphSubscription(h);
    h.sandbox.graph.sendLifecycle(sub.id, 'reauthorizationRequired');
    await h.settle();
    expect(h.sandbox.graph.state.requests.some((r) => r.method === 'POST' && r.path.endsWith('/reauthorize'))).toBe(
      true,
    );
  });

  it('catches up on `missed`: mail whose notification was lost gets exactly one card', async () => {
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Lost-notification 1' });
    h.sandbox.graph.resumeNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Notified 2' });
    await h.settle();
    expect(cardPostsFor(h, 'Lost-notification 1')).toHaveLength(0);
    h.sandbox.graph.sendLifecycle(graphSubscription(h).id, 'missed');
    await h.settle();
    expect(cardPostsFor(h, 'Lost-notification 1')).toHaveLength(1);
    expect(cardPostsFor(h, 'Notified 2')).toHaveLength(1);
    const [s] = await storedSubscriptions(h);
    expect(s?.last_catchup_at).toBeTruthy();
  });

  it('creates the subscription again on subscriptionRemoved, then catches up on what arrived meanwhile', async () => {
    const old = graphSubscription(h);
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'While-removed 3' });
    h.sandbox.graph.resumeNotifications();
    h.sandbox.graph.removeSubscription(old.id);
    await h.settle();
    const fresh = graphSubscription(h);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.clientState).not.toBe(old.clientState);
    expect(cardPostsFor(h, 'While-removed 3')).toHaveLength(1);
    const stored = await storedSubscriptions(h);
    expect(stored.find((s) => s.id === old.id)?.status).toBe('removed');
    expect(stored.find((s) => s.id === fresh.id)?.status).toBe('active');
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'After-recreate 4' });
    await h.settle();
    expect(cardPostsFor(h, 'After-recreate 4')).toHaveLength(1);
  });

  it('creates the subscription again when renewal finds it gone (404)', async () => {
    const old = graphSubscription(h);
    h.sandbox.graph.state.subscriptions.delete(old.id);
    expect(await makeDue(h, JobKind.renew)).toBeGreaterThan(0);
    await waitFor(() => [...h.sandbox.graph.state.subscriptions.values()].length > 0, 10_000, 'a new subscription');
    await h.settle();
    const fresh = graphSubscription(h);
    expect(fresh.id).not.toBe(old.id);
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'After-404 5' });
    await h.settle();
    expect(cardPostsFor(h, 'After-404 5')).toHaveLength(1);
  });

  it('checks the subscription at Graph on an upkeep pass, and leaves a live one alone', async () => {
    const sub = graphSubscription(h);
    const before = gets(sub.id).length;
    await upkeepTick(upkeep());
    await h.settle();
    expect(gets(sub.id).length).toBe(before + 1);
    expect(graphSubscription(h).id).toBe(sub.id);
    expect((await storedSubscriptions(h)).filter((s) => s.status === 'active').map((s) => s.id)).toEqual([sub.id]);
  });

  it('at start, creates again a subscription Graph lost while Mailroom was down, and catches up', async () => {
    const old = graphSubscription(h);
    // Gone while down: Graph deleted it and mail arrived that no notification announced.
    h.sandbox.graph.state.subscriptions.delete(old.id);
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'While-down 6' });
    await enqueueStartupCatchups(upkeep());
    await h.settle();
    const fresh = graphSubscription(h);
    expect(fresh.id).not.toBe(old.id);
    const stored = await storedSubscriptions(h);
    expect(stored.find((s) => s.id === old.id)?.status).toBe('removed');
    expect(stored.filter((s) => s.status === 'active').map((s) => s.id)).toEqual([fresh.id]);
    expect(cardPostsFor(h, 'While-down 6')).toHaveLength(1);
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'After-restart 7' });
    await h.settle();
    expect(cardPostsFor(h, 'After-restart 7')).toHaveLength(1);
  });

  it('/watch on a watched mailbox whose subscription Graph lost subscribes again and catches up', async () => {
    const old = graphSubscription(h);
    h.sandbox.graph.state.subscriptions.delete(old.id);
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'Unheard 8' });
    await h.watch(SUPPORT);
    expect(lastAnswer()).toContain('Already watching support@contoso.com: subscribed again');
    await h.settle();
    expect(graphSubscription(h).id).not.toBe(old.id);
    expect(cardPostsFor(h, 'Unheard 8')).toHaveLength(1);
    // A second /watch finds it live: the plain answer, and no new subscription.
    const live = graphSubscription(h).id;
    await h.watch(SUPPORT);
    expect(lastAnswer()).toContain('Already watching support@contoso.com');
    expect(lastAnswer()).not.toContain('subscribed again');
    expect(graphSubscription(h).id).toBe(live);
  });
});
