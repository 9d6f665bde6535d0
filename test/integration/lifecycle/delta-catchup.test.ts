import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { enqueueStartupCatchups, type UpkeepDeps, upkeepTick } from '../../../bot/src/mail/upkeep.js';
import { cardPostsFor, SUPPORT } from '../../faults/support.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

describe('delta catch-up: the Inbox, its subfolders and Sent Items, each from its own deltaLink', () => {
  let h: Harness;
  let upkeep: UpkeepDeps;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    const m = h.mailroom;
    upkeep = {
      db: m.db,
      queue: m.queue,
      mailboxes: m.repos.mailboxes,
      clock: m.clock,
      log: m.log,
      catchupIntervalMinutes: 15,
    };
  });
  afterAll(async () => h?.close());

  it('does not flood the channel with mail that was there before the mailbox was watched', async () => {
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'old@fabrikam.com', subject: 'History-0' });
    // Graph's receivedDateTime has whole seconds, and a restarted folder takes mail from the last second seen on
    // (inclusive, so nothing in that second is missed): history must lie in an earlier second than the news.
    await new Promise((r) => setTimeout(r, 1100));
    await h.watch(SUPPORT);
    await h.settle();
    expect(await enqueueStartupCatchups(upkeep)).toBe(1);
    await h.settle();
    expect(cardPostsFor(h, 'History-0')).toHaveLength(0);
    const folders = await h.mailroom.db.kysely.selectFrom('delta_state').selectAll().execute();
    expect(folders.length).toBe(3); // Inbox, Inbox/Orders, Sent Items
    expect(folders.every((f) => f.delta_link)).toBe(true);
  });

  it('finds mail that arrived while the bot was down, in subfolders too, with one card each', async () => {
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Down-1' });
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Down-2', folder: 'Orders' });
    h.sandbox.graph.resumeNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Up-3' });
    await h.settle();
    expect(cardPostsFor(h, 'Down-1')).toHaveLength(0);
    await enqueueStartupCatchups(upkeep);
    await h.settle();
    await enqueueStartupCatchups(upkeep);
    await h.settle();
    for (const s of ['Down-1', 'Down-2', 'Up-3']) expect(cardPostsFor(h, s), s).toHaveLength(1);
  });

  it('starts a folder again after Graph resets its delta state (410), without repeating a card', async () => {
    h.sandbox.graph.faults.resetDelta();
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'li@northwind.example', subject: 'After-reset-4' });
    h.sandbox.graph.resumeNotifications();
    await enqueueStartupCatchups(upkeep);
    await h.settle();
    expect(cardPostsFor(h, 'After-reset-4')).toHaveLength(1);
    for (const s of ['Down-1', 'Down-2', 'Up-3']) expect(cardPostsFor(h, s), s).toHaveLength(1);
    expect(cardPostsFor(h, 'History-0')).toHaveLength(0);
    expect(h.sandbox.graph.state.requests.some((r) => r.path.endsWith('/delta') && r.status === 410)).toBe(true);
  });

  it('queues a periodic catch-up once it is due, and never two at a time for one mailbox', async () => {
    const jobs = () =>
      h.mailroom.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', JobKind.catchup)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    expect((await upkeepTick(upkeep)).catchups).toBe(0);
    await h.mailroom.db.kysely.updateTable('mailboxes').set({ last_catchup_at: '2000-01-01T00:00:00.000Z' }).execute();
    await h.mailroom.worker.stop();
    expect((await upkeepTick(upkeep)).catchups).toBe(1);
    expect((await upkeepTick(upkeep)).catchups).toBe(0);
    expect(await jobs()).toHaveLength(1);
    h.mailroom.worker.start();
    await h.settle();
    const [mb] = await h.mailroom.repos.mailboxes.listActive();
    const row = await h.mailroom.db.kysely
      .selectFrom('mailboxes')
      .select('last_catchup_at')
      .where('id', '=', mb?.id ?? '')
      .executeTakeFirst();
    expect(Date.parse(row?.last_catchup_at ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });
});
