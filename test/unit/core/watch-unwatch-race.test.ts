import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { unwatchMailbox } from '../../../bot/src/core/watch.js';
import { createLogger } from '../../../bot/src/log.js';
import { ADELE, ALEX, SALES_CHANNEL, SUPPORT_CHANNEL, watchSupport } from './watch-graph.js';
import { WATCH_WORLDS, type WatchRowsWorld, watchRowsWorld } from './watch-rows.js';

const log = createLogger('silent');
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };

describe.each(WATCH_WORLDS)('an /unwatch while a confirmed move of the mailbox is on its way, %s', (where) => {
  let w: WatchRowsWorld;
  const unwatch = (actor = ADELE, tenantId = 't1') =>
    unwatchMailbox(w.deps, { tenantId, address: 'support@contoso.com', actor }, log);
  /** Alex's confirmed move of support@ to Sales, held at Graph's check of its subscription until the unwatch is done. */
  const moveDuring = async (hold: 'read' | 'reply', meanwhile: () => Promise<unknown>) => {
    const open = w.graph.hold(hold);
    const move = watchSupport(w.deps, { actor: ALEX, channel: SALES_CHANNEL, confirmedMove: true });
    await w.graph.callsReach('GET subscriptions/', 1);
    await meanwhile();
    const before = await w.rows();
    open();
    return { before, outcome: await move };
  };

  beforeEach(async () => {
    w = await watchRowsWorld(where);
    await watchSupport(w.deps);
  });
  afterEach(async () => w.close());

  it('Graph said the subscription was live: the move brings nothing back, and the unwatch stands', async () => {
    const { before, outcome } = await moveDuring('reply', () => unwatch());
    expect(outcome).toMatchObject({ kind: 'unwatched_meanwhile', mailbox: { address: 'support@contoso.com' } });
    expect(await w.rows()).toEqual(before);
    expect(before).toMatchObject({
      mailboxes: [{ channel: SUPPORT_CHANNEL.conversationId, watchedBy: ADELE.name, active: false }],
      subscriptions: [{ id: 'sub-new-1', status: 'removed' }],
      audit: [{ action: 'watch' }, { action: 'unwatch', actor: ADELE.name }],
    });
    expect(w.graph.subscriptions.size).toBe(0);
    expect(w.graph.creates()).toBe(1);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE subscriptions/sub-new-1']);
  });

  it('Graph said it was gone: the move deletes the subscription it made, and writes nothing', async () => {
    const { before, outcome } = await moveDuring('read', () => unwatch());
    expect(outcome).toMatchObject({ kind: 'unwatched_meanwhile' });
    expect(await w.rows()).toEqual(before);
    expect(before.mailboxes).toEqual([
      { channel: SUPPORT_CHANNEL.conversationId, watchedBy: ADELE.name, active: false },
    ]);
    expect(before.audit.map((a) => a.action)).toEqual(['watch', 'unwatch']);
    expect(w.graph.subscriptions.size).toBe(0);
    expect(w.graph.creates()).toBe(2);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual([
      'DELETE subscriptions/sub-new-1',
      'DELETE subscriptions/sub-new-2',
    ]);
  });

  it('an /unwatch by a non-admin or from another tenant meanwhile is refused, and the move goes through', async () => {
    const refusals: unknown[] = [];
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => refusals.push('accepted'),
        (e) => refusals.push(e),
      );
    const { before, outcome } = await moveDuring('reply', async () => {
      await refused(unwatch(MEGAN));
      await refused(unwatch(ADELE, 't2'));
    });
    expect(refusals).toEqual([
      expect.objectContaining({ code: 'forbidden' }),
      expect.objectContaining({ code: 'unknown_mailbox' }),
    ]);
    expect(before.mailboxes).toEqual([
      { channel: SUPPORT_CHANNEL.conversationId, watchedBy: ADELE.name, active: true },
    ]);
    expect(before.audit.map((a) => a.action)).toEqual(['watch']);
    expect(outcome).toMatchObject({ kind: 'watched', movedFrom: 'Support' });
    expect(await w.rows()).toEqual({
      mailboxes: [{ channel: SALES_CHANNEL.conversationId, watchedBy: ALEX.name, active: true }],
      conversations: [SALES_CHANNEL.conversationId, SUPPORT_CHANNEL.conversationId].sort(),
      subscriptions: [{ id: 'sub-new-1', status: 'active' }],
      jobs: [{ kind: JobKind.renew, subscriptionId: 'sub-new-1' }],
      audit: [
        { action: 'watch', actor: ADELE.name, detail: { channel: 'Support', kind: 'shared' } },
        { action: 'move', actor: ALEX.name, detail: { from: 'Support', to: 'Sales', kind: 'shared' } },
      ],
    });
    expect([...w.graph.subscriptions.keys()]).toEqual(['sub-new-1']);
    expect(w.graph.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
  });
});

describe.each(WATCH_WORLDS)('a confirmed move committing while an /unwatch of the mailbox is at Graph, %s', (where) => {
  let w: WatchRowsWorld;
  const unwatch = (actor = ADELE) =>
    unwatchMailbox(w.deps, { tenantId: 't1', address: 'support@contoso.com', actor }, log);
  /** The unwatch's DELETE is done at Graph, but answers only once Alex's confirmed move (seeing it gone) committed. */
  const unwatchDuringMove = async () => {
    const open = w.graph.hold('delete');
    const stop = unwatch();
    await w.graph.callsReach('DELETE subscriptions/', 1);
    w.graph.deleteGate = null;
    const moved = await watchSupport(w.deps, { actor: ALEX, channel: SALES_CHANNEL, confirmedMove: true });
    open();
    return { moved, stopped: await stop };
  };

  beforeEach(async () => {
    w = await watchRowsWorld(where);
    await watchSupport(w.deps);
  });
  afterEach(async () => w.close());

  it('the unwatch removes the subscription the move made meanwhile, at Graph and in the rows', async () => {
    const { moved, stopped } = await unwatchDuringMove();
    expect(moved).toMatchObject({ kind: 'watched', movedFrom: 'Support', repaired: true });
    expect(stopped).toMatchObject({ address: 'support@contoso.com', channelName: 'Sales', active: false });
    expect(await w.rows()).toMatchObject({
      mailboxes: [{ channel: SALES_CHANNEL.conversationId, watchedBy: ALEX.name, active: false }],
      subscriptions: [
        { id: 'sub-new-1', status: 'removed' },
        { id: 'sub-new-2', status: 'removed' },
      ],
      audit: [
        { action: 'watch', actor: ADELE.name },
        { action: 'move', actor: ALEX.name, detail: { from: 'Support', to: 'Sales', kind: 'shared' } },
        { action: 'unwatch', actor: ADELE.name },
      ],
    });
    expect(w.graph.subscriptions.size).toBe(0);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual([
      'DELETE subscriptions/sub-new-1',
      'DELETE subscriptions/sub-new-2',
    ]);
  });

  it('an /unwatch by a non-admin is refused before Graph, and changes nothing', async () => {
    const before = await w.rows();
    await expect(unwatch(MEGAN)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await w.rows()).toEqual(before);
    expect([...w.graph.subscriptions.keys()]).toEqual(['sub-new-1']);
    expect(w.graph.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
  });
});
