import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { watchMailbox } from '../../../bot/src/core/watch.js';
import { watchOwnMailbox } from '../../../bot/src/core/watch-own.js';
import { createLogger } from '../../../bot/src/log.js';
import { ADELE, ALEX, SUPPORT_CHANNEL } from './watch-graph.js';
import { WATCH_WORLDS, type WatchRowsWorld, watchRowsWorld } from './watch-rows.js';

const log = createLogger('silent');
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };
const MEGAN_MAILBOX = 'megan@contoso.com';

/** What Adele's /watch of megan@ from Support commits alone (a delegate: she is an admin, not the owner). */
const WATCHED_IN_SUPPORT = {
  mailboxes: [{ channel: SUPPORT_CHANNEL.conversationId, watchedBy: ADELE.name, active: true }],
  conversations: [SUPPORT_CHANNEL.conversationId],
  subscriptions: [{ id: 'sub-new-1', status: 'active' }],
  jobs: [{ kind: JobKind.renew, subscriptionId: 'sub-new-1' }],
  audit: [{ action: 'watch', actor: ADELE.name, detail: { channel: 'Support', kind: 'delegate' } }],
};

describe.each(WATCH_WORLDS)('/autopilot on me and a channel /watch of the same mailbox at once, %s', (where) => {
  let w: WatchRowsWorld;
  const ownWatch = (actor = MEGAN) => watchOwnMailbox(w.deps, { tenantId: 't1', address: MEGAN_MAILBOX, actor }, log);
  const channelWatch = () =>
    watchMailbox(w.deps, { tenantId: 't1', address: MEGAN_MAILBOX, channel: SUPPORT_CHANNEL, actor: ADELE }, log);

  beforeEach(async () => {
    w = await watchRowsWorld(where);
  });
  afterEach(async () => w.close());

  it('the channel /watch commits first: /autopilot on me leaves it in its channel and deletes its own subscription', async () => {
    const { first, second } = await w.graph.overtake(ownWatch, channelWatch);
    expect(first).toMatchObject({ kind: 'watched', isNew: true });
    expect(second).toMatchObject({
      overtaken: true,
      mailbox: { channelConversationId: SUPPORT_CHANNEL.conversationId, channelName: 'Support', active: true },
    });

    // Exactly what the channel /watch commits alone.
    expect(await w.rows()).toEqual(WATCHED_IN_SUPPORT);
    // Graph made /autopilot on me's subscription after the other's, and it was deleted again.
    expect([...w.graph.subscriptions.keys()]).toEqual(['sub-new-1']);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE subscriptions/sub-new-2']);
  });

  it('/autopilot on me commits first: the channel /watch moves nothing and asks to move', async () => {
    const { first, second } = await w.graph.overtake(channelWatch, () => ownWatch());
    expect(first).toMatchObject({ overtaken: false, mailbox: { channelConversationId: null, active: true } });
    expect(second).toMatchObject({
      kind: 'confirm_move',
      overtaken: true,
      mailbox: { channelConversationId: null, watchedBy: MEGAN.name },
    });

    expect(await w.rows()).toEqual({
      mailboxes: [{ channel: null, watchedBy: MEGAN.name, active: true }],
      conversations: [],
      subscriptions: [{ id: 'sub-new-1', status: 'active' }],
      jobs: [{ kind: JobKind.renew, subscriptionId: 'sub-new-1' }],
      audit: [{ action: 'watch', actor: MEGAN.name, detail: { channel: null, kind: 'user', forAutopilot: true } }],
    });
    expect([...w.graph.subscriptions.keys()]).toEqual(['sub-new-1']);
    expect(w.graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE subscriptions/sub-new-2']);
  });

  it('someone else’s /autopilot on me naming the mailbox meanwhile is refused before Graph and changes nothing', async () => {
    const { first, second } = await w.graph.overtake(channelWatch, () =>
      ownWatch(ALEX).then(
        () => 'accepted',
        (err: { code?: string }) => err.code,
      ),
    );
    expect(first).toBe('forbidden');
    expect(second).toMatchObject({ kind: 'watched', isNew: true });
    expect(w.graph.creates()).toBe(1);
    expect(await w.rows()).toEqual(WATCHED_IN_SUPPORT);
  });
});
