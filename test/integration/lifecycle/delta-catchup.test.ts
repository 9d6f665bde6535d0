import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { enqueueStartupCatchups, type UpkeepDeps, upkeepTick } from '../../../bot/src/mail/upkeep.js';
import { cardPostsFor, SUPPORT } from '../../faults/support.js';
import { channelCommand, type Harness, startHarness } from '../../helpers/harness.js';

describe('delta catch-up: every folder the subscription covers, each from its own deltaLink', () => {
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
    // Archive, Inbox, Inbox/Escalations, Orders, Outbox, Sent Items: not Deleted Items, Junk Email or Drafts.
    expect(folders.length).toBe(6);
    expect(folders.every((f) => f.delta_link)).toBe(true);
  });

  it('finds mail that arrived while the bot was down, in Orders beside the Inbox too, with one card each', async () => {
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

  it('watched again after an /unwatch, takes up mail from the new watch on, not what came while unwatched', async () => {
    const unwatched = await h.send(channelCommand(`/unwatch ${SUPPORT}`, { from: h.admin }));
    expect(unwatched.status).toBe(200);
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'While-unwatched-5' });
    h.sandbox.graph.deliver({
      to: [SUPPORT],
      from: 'ana@fabrikam.com',
      subject: 'Unwatched-Orders-6',
      folder: 'Orders',
    });
    // Whole seconds again: the mail that came while unwatched lies in an earlier second than the new watch.
    await new Promise((r) => setTimeout(r, 1100));
    await h.watch(SUPPORT);
    await h.settle();
    await enqueueStartupCatchups(upkeep);
    await h.settle();
    expect(cardPostsFor(h, 'While-unwatched-5')).toHaveLength(0);
    expect(cardPostsFor(h, 'Unwatched-Orders-6')).toHaveLength(0);
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: 'Rewatched-7', folder: 'Orders' });
    h.sandbox.graph.resumeNotifications();
    await enqueueStartupCatchups(upkeep);
    await h.settle();
    expect(cardPostsFor(h, 'Rewatched-7')).toHaveLength(1);
  });
});

describe('delta catch-up: folders made, renamed or excluded while the bot was down', () => {
  let h: Harness;
  let upkeep: UpkeepDeps;
  const catchUp = async () => {
    await enqueueStartupCatchups(upkeep);
    await h.settle();
  };
  const folder = async (name: string, parent?: string) => {
    const res = await fetch(`${h.sandbox.graph.url}/_sandbox/folders`, {
      method: 'POST',
      body: JSON.stringify({ mailbox: SUPPORT, name, ...(parent ? { parent } : {}) }),
    });
    return ((await res.json()) as { id: string }).id;
  };
  const down = (subject: string, where: string) => {
    h.sandbox.graph.stopNotifications();
    h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject, folder: where });
    h.sandbox.graph.resumeNotifications();
  };

  beforeAll(async () => {
    h = await startHarness({ netsuite: false, env: { CATCHUP_EXCLUDE_FOLDERS: 'archive, Outbox' } });
    const m = h.mailroom;
    upkeep = {
      db: m.db,
      queue: m.queue,
      mailboxes: m.repos.mailboxes,
      clock: m.clock,
      log: m.log,
      catchupIntervalMinutes: 15,
    };
    await h.watch(SUPPORT);
    await h.settle();
    await catchUp();
  });
  afterAll(async () => h?.close());

  it('finds mail in a folder made during the downtime, and in a folder inside it', async () => {
    const returns = await folder('Returns');
    await folder('Damaged', 'Returns');
    down('Return 1', 'Returns');
    down('Return 2', 'Returns/Damaged');
    await catchUp();
    expect(cardPostsFor(h, 'Return 1')).toHaveLength(1);
    expect(cardPostsFor(h, 'Return 2')).toHaveLength(1);
    const state = await h.mailroom.db.kysely.selectFrom('delta_state').select('folder_id').execute();
    expect(state.map((s) => s.folder_id)).toContain(returns);
  });

  it('keeps a renamed folder’s place: later mail in it is found once, earlier mail not again', async () => {
    const id = await folder('Invoices');
    down('Invoice 1', 'Invoices');
    await catchUp();
    await fetch(`${h.sandbox.graph.url}/_sandbox/folders/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Billing' }),
    });
    down('Invoice 2', 'Billing');
    await catchUp();
    expect(cardPostsFor(h, 'Invoice 1')).toHaveLength(1);
    expect(cardPostsFor(h, 'Invoice 2')).toHaveLength(1);
  });

  it('skips Deleted Items, Junk Email, Drafts (and what is under them) and the folders the admin excludes', async () => {
    await folder('Old stuff', 'deleteditems');
    const unwanted: Array<[string, string]> = [
      ['Spam 1', 'junkemail'],
      ['Deleted 1', 'deleteditems'],
      ['Deleted 2', 'Deleted Items/Old stuff'],
      ['Draft 1', 'drafts'],
      ['Archived 1', 'archive'],
      ['Outbox 1', 'outbox'],
    ];
    for (const [subject, where] of unwanted) down(subject, where);
    down('Control 1', 'inbox');
    await catchUp();
    expect(cardPostsFor(h, 'Control 1')).toHaveLength(1);
    for (const s of ['Spam 1', 'Deleted 1', 'Deleted 2', 'Draft 1', 'Archived 1', 'Outbox 1']) {
      expect(cardPostsFor(h, s), s).toHaveLength(0);
    }
    const paths = h.sandbox.graph.state.requests.map((r) => r.path);
    expect(paths.some((p) => /mailFolders\/(junkemail|deleteditems|drafts|archive|outbox)$/.test(p))).toBe(true);
    const deltaPaths = paths.filter((p) => p.endsWith('/messages/delta'));
    const skipped = h.sandbox.graph.state.folders
      .filter((f) => ['junkemail', 'deleteditems', 'drafts', 'archive', 'outbox'].includes(f.wellKnownName ?? ''))
      .map((f) => f.id);
    expect(deltaPaths.filter((p) => skipped.some((id) => p.includes(id)))).toEqual([]);
  });
});
