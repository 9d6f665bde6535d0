import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeltaStateRepo } from '../../../bot/src/store/repos/delta-state.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const WATCH = {
  tenantId: 't1',
  address: 'support@contoso.com',
  graphUserId: 'g1',
  displayName: 'Contoso Support',
  kind: 'shared' as const,
  channelConversationId: '19:support@thread.tacv2',
  channelName: 'Support',
  teamId: 'team-1',
  watchedBy: 'Adele Vance',
};

describe.each(testEngines())('MailboxRepo watch, unwatch and watch again on %s', (engine) => {
  let db: TestDb;
  let mailboxes: MailboxRepo;
  let delta: DeltaStateRepo;
  beforeEach(async () => {
    db = await createTestDb(engine);
    mailboxes = new MailboxRepo(db);
    delta = new DeltaStateRepo(db);
  });
  afterEach(async () => db.drop());

  const folderState = { folderId: 'inbox', deltaLink: 'https://graph/delta?token=1', lastReceivedAt: null };

  it('a move keeps the watch time and the folders’ deltaLinks', async () => {
    const first = await mailboxes.upsert({ ...WATCH, now: '2026-11-01T00:00:00.000Z' });
    await delta.save('t1', first.id, folderState, '2026-11-02T00:00:00.000Z');
    const moved = await mailboxes.upsert({
      ...WATCH,
      channelConversationId: '19:sales@thread.tacv2',
      channelName: 'Sales',
      now: '2026-11-03T00:00:00.000Z',
    });
    expect(moved).toMatchObject({ id: first.id, createdAt: '2026-11-01T00:00:00.000Z', channelName: 'Sales' });
    expect(await delta.get('t1', first.id, 'inbox')).toMatchObject({ deltaLink: folderState.deltaLink });
  });

  it('an unwatch drops the deltaLinks, and watching again starts from the new watch time', async () => {
    const first = await mailboxes.upsert({ ...WATCH, now: '2026-11-01T00:00:00.000Z' });
    await delta.save('t1', first.id, folderState, '2026-11-02T00:00:00.000Z');
    await delta.save('t1', 'mbx-other', folderState, '2026-11-02T00:00:00.000Z');
    await mailboxes.deactivate('t1', first.id);
    expect(await delta.get('t1', first.id, 'inbox')).toBeNull();
    // Another mailbox's place is its own.
    expect(await delta.get('t1', 'mbx-other', 'inbox')).not.toBeNull();
    const again = await mailboxes.upsert({ ...WATCH, now: '2026-11-20T00:00:00.000Z' });
    expect(again).toMatchObject({ id: first.id, active: true, createdAt: '2026-11-20T00:00:00.000Z' });
  });

  it('a guarded upsert changes only a binding the caller named, and returns one it may not change as it is', async () => {
    const now = '2026-11-03T00:00:00.000Z';
    const first = await mailboxes.upsert({ ...WATCH, now: '2026-11-01T00:00:00.000Z' });
    const sales = { ...WATCH, channelConversationId: '19:sales@thread.tacv2', channelName: 'Sales', now };
    const inSales = { channelConversationId: sales.channelConversationId, watchedBy: 'Adele Vance', active: true };
    // Bound to Support, which the caller did not name: left and returned as it is.
    expect(await mailboxes.upsert({ ...sales, watchedBy: 'Alex Wilber' }, { movableFrom: [] })).toEqual(first);
    expect(await mailboxes.upsert(sales, { movableFrom: [null, '19:billing@thread.tacv2'] })).toEqual(first);
    expect(await mailboxes.byAddress('t1', WATCH.address)).toEqual(first);
    // Named: moved; already where the caller points it: written again.
    expect(await mailboxes.upsert(sales, { movableFrom: [WATCH.channelConversationId] })).toMatchObject(inSales);
    expect(await mailboxes.upsert(sales, { movableFrom: [] })).toMatchObject(inSales);
    // Not watched: any guard lets a watch take it.
    await mailboxes.deactivate('t1', first.id);
    expect(await mailboxes.upsert({ ...WATCH, now }, { movableFrom: [] })).toMatchObject({ channelName: 'Support' });
    // Watched with no channel (a person's mailbox, for autopilot): null names that binding.
    await mailboxes.upsert({ ...WATCH, channelConversationId: null, channelName: null, now });
    expect(await mailboxes.upsert(sales, { movableFrom: [] })).toMatchObject({ channelConversationId: null });
    expect(await mailboxes.upsert(sales, { movableFrom: [null] })).toMatchObject(inSales);
  });

  it('a guarded upsert that saw the mailbox watched leaves it unwatched if it was unwatched since', async () => {
    const first = await mailboxes.upsert({ ...WATCH, now: '2026-11-01T00:00:00.000Z' });
    const now = '2026-11-03T00:00:00.000Z';
    const sales = { ...WATCH, channelConversationId: '19:sales@thread.tacv2', channelName: 'Sales', now };
    const seen = { movableFrom: [WATCH.channelConversationId], seenActive: true };
    await mailboxes.deactivate('t1', first.id);
    const unwatched = await mailboxes.byAddress('t1', WATCH.address);
    expect(unwatched).toMatchObject({ active: false, channelName: 'Support' });
    // Neither a move nor a watch from the same channel brings it back.
    expect(await mailboxes.upsert({ ...sales, watchedBy: 'Alex Wilber' }, seen)).toEqual(unwatched);
    expect(await mailboxes.upsert({ ...WATCH, now }, { movableFrom: [], seenActive: true })).toEqual(unwatched);
    expect(await mailboxes.byAddress('t1', WATCH.address)).toEqual(unwatched);
    // Watched as it was seen: the same guard moves it.
    await mailboxes.upsert({ ...WATCH, now });
    expect(await mailboxes.upsert(sales, seen)).toMatchObject({ channelName: 'Sales', active: true });
  });
});
