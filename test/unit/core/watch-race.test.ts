import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import type { WatchOutcome } from '../../../bot/src/core/watch.js';
import { ADELE, ALEX, SALES_CHANNEL, SUPPORT_CHANNEL, watchChannel, watchSupport } from './watch-graph.js';
import { WATCH_WORLDS, type WatchRowsWorld, watchRowsWorld } from './watch-rows.js';

const BILLING_CHANNEL = watchChannel('19:billing@thread.tacv2', 'Billing');

type WatchInput = NonNullable<Parameters<typeof watchSupport>[1]>;

/**
 * Two /watch of support@ at the same instant, from two channels. Both look before either commits (the `hold` on
 * Graph opens once both have asked it), so which one commits first is the engine's choice: the answer names the
 * earlier (the one that watched) and the later (the one that did not), whichever they are.
 */
async function race(w: WatchRowsWorld, hold: 'create' | 'read', inputs: [WatchInput, WatchInput]) {
  const open = w.graph.hold(hold);
  const both = Promise.all(inputs.map((input) => watchSupport(w.deps, input)));
  await (hold === 'create' ? w.graph.createsReach(2) : w.graph.callsReach('GET subscriptions/', 2));
  open();
  const outcomes: WatchOutcome[] = await both;
  expect(outcomes.map((o) => o.kind).sort()).toEqual(['confirm_move', 'watched']);
  const first = outcomes.findIndex((o) => o.kind === 'watched');
  const [earlier, later] = first === 0 ? inputs : [inputs[1], inputs[0]];
  return { earlier, later, watched: outcomes[first], overtaken: outcomes[1 - first] };
}

describe.each(WATCH_WORLDS)('two /watch of one mailbox from two channels at once, %s', (where) => {
  let w: WatchRowsWorld;
  beforeEach(async () => {
    w = await watchRowsWorld(where);
  });
  afterEach(async () => w.close());

  it('first watches: the later one moves nothing, deletes its own subscription at Graph and asks to move', async () => {
    const { earlier, later, overtaken } = await race(w, 'create', [
      { actor: ADELE, channel: SUPPORT_CHANNEL },
      { actor: ALEX, channel: SALES_CHANNEL },
    ]);
    expect(overtaken).toMatchObject({
      kind: 'confirm_move',
      overtaken: true,
      from: earlier.channel?.name,
      mailbox: { channelConversationId: earlier.channel?.conversationId, watchedBy: earlier.actor?.name },
    });
    expect(later.channel).not.toEqual(earlier.channel);

    // Exactly what the earlier watch commits alone: its channel, its one subscription, renewal and audit entry.
    const rows = await w.rows();
    const kept = rows.subscriptions[0]?.id;
    expect(rows).toEqual({
      mailboxes: [{ channel: earlier.channel?.conversationId, watchedBy: earlier.actor?.name, active: true }],
      conversations: [earlier.channel?.conversationId],
      subscriptions: [{ id: kept, status: 'active' }],
      jobs: [{ kind: JobKind.renew, subscriptionId: kept }],
      audit: [
        { action: 'watch', actor: earlier.actor?.name, detail: { channel: earlier.channel?.name, kind: 'shared' } },
      ],
    });
    // Graph keeps the earlier one's subscription only: the later one's was made and deleted.
    expect([...w.graph.subscriptions.keys()]).toEqual([kept]);
    const surplus = ['sub-new-1', 'sub-new-2'].filter((id) => id !== kept);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual([`DELETE subscriptions/${surplus[0]}`]);
  });

  it('confirmed moves: the later one does not move it again from where the earlier put it, and asks', async () => {
    await watchSupport(w.deps);
    const { earlier, watched, overtaken } = await race(w, 'read', [
      { actor: ADELE, channel: SALES_CHANNEL, confirmedMove: true },
      { actor: ALEX, channel: BILLING_CHANNEL, confirmedMove: true },
    ]);
    expect(watched).toMatchObject({ movedFrom: 'Support' });
    expect(overtaken).toMatchObject({ kind: 'confirm_move', overtaken: true, from: earlier.channel?.name });

    expect(await w.rows()).toEqual({
      mailboxes: [{ channel: earlier.channel?.conversationId, watchedBy: earlier.actor?.name, active: true }],
      conversations: [earlier.channel?.conversationId, SUPPORT_CHANNEL.conversationId].sort(),
      subscriptions: [{ id: 'sub-new-1', status: 'active' }],
      jobs: [{ kind: JobKind.renew, subscriptionId: 'sub-new-1' }],
      audit: [
        { action: 'watch', actor: ADELE.name, detail: { channel: 'Support', kind: 'shared' } },
        {
          action: 'move',
          actor: earlier.actor?.name,
          detail: { from: 'Support', to: earlier.channel?.name, kind: 'shared' },
        },
      ],
    });
    expect([...w.graph.subscriptions.keys()]).toEqual(['sub-new-1']);
    expect(w.graph.creates()).toBe(1);
    expect(w.graph.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
  });
});
