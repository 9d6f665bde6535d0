import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchOwnMailbox } from '../../../../bot/src/core/watch-own.js';
import { createLogger } from '../../../../bot/src/log.js';
import { CommandVerb } from '../../../../bot/src/teams/actions.js';
import { confirmMoveAction, unwatchCommand, watchCommand } from '../../../../bot/src/teams/commands/watch-commands.js';
import type { TurnInfo } from '../../../../bot/src/teams/turn-info.js';
import { validateCard } from '../../../helpers/validate-card.js';
import { ADELE, ALEX, SALES_CHANNEL, SUPPORT_CHANNEL } from '../../core/watch-graph.js';
import { WATCH_WORLDS, type WatchRowsWorld, watchRowsWorld } from '../../core/watch-rows.js';
import { actions, visibleText } from '../cards/read-card.js';

const log = createLogger('silent');

type Channel = typeof SUPPORT_CHANNEL;
type Person = typeof ADELE;

/** `@Mailroom /watch …` typed by `who` in `channel`, as turnInfo reads it. */
const turnIn = (who: Person, channel: Channel): TurnInfo => ({
  tenantId: 't1',
  user: who,
  conversationType: 'channel',
  conversationId: channel.conversationId,
  teamId: channel.teamId,
  aadGroupId: null,
  channelId: channel.channelId,
  channelName: channel.name,
});

describe.each(WATCH_WORLDS)('/watch typed in two channels at the same instant, %s', (where) => {
  let w: WatchRowsWorld;
  beforeEach(async () => {
    w = await watchRowsWorld(where);
  });
  afterEach(async () => w.close());

  it('tells the later member where the mailbox went and offers the move, which then works', async () => {
    const typed = [
      { who: ADELE, channel: SUPPORT_CHANNEL },
      { who: ALEX, channel: SALES_CHANNEL },
    ];
    const open = w.graph.hold('create');
    const both = Promise.all(
      typed.map((t) => watchCommand(w.deps, turnIn(t.who, t.channel), t.channel.reference, 'support@contoso.com', log)),
    );
    await w.graph.createsReach(2);
    open();
    const cards = await both;
    for (const card of cards) expect(validateCard(card)).toEqual([]);
    const first = cards.findIndex((c) => visibleText(c).some((line) => line.startsWith('Now watching')));
    expect(first).toBeGreaterThanOrEqual(0);
    const earlier = typed[first] as (typeof typed)[number];
    const later = typed[1 - first] as (typeof typed)[number];
    const answer = cards[1 - first];

    expect(visibleText(answer)).toEqual([
      `support@contoso.com was just set up in ${earlier.channel.name}`,
      `${earlier.who.name} watched support@contoso.com from ${earlier.channel.name} while your /watch was on its way, so nothing changed here. To move it here, use the button below. Moving it sends new mail to ${later.channel.name} instead, and the move is recorded in the Dashboard's activity log.`,
      `To leave it in ${earlier.channel.name}, do nothing.`,
    ]);
    const [move] = actions(answer);
    expect(actions(answer)).toEqual([
      expect.objectContaining({
        title: `Move to ${later.channel.name}`,
        verb: CommandVerb.moveMailbox,
        data: { address: 'support@contoso.com', channel: later.channel.conversationId },
      }),
    ]);
    const before = await w.rows();
    expect(before.mailboxes).toEqual([
      { channel: earlier.channel.conversationId, watchedBy: earlier.who.name, active: true },
    ]);
    expect(before.audit.map((a) => [a.action, a.actor])).toEqual([['watch', earlier.who.name]]);

    // The button is no way around the admin check, nor does it act from another channel.
    const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };
    await expect(
      confirmMoveAction(w.deps, turnIn(MEGAN, later.channel), later.channel.reference, move?.data, log),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      confirmMoveAction(w.deps, turnIn(later.who, earlier.channel), earlier.channel.reference, move?.data, log),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(await w.rows()).toEqual(before);

    // What the card says to do next works: the button moves it, as a second /watch's confirmation would.
    const moved = await confirmMoveAction(
      w.deps,
      turnIn(later.who, later.channel),
      later.channel.reference,
      move?.data,
      log,
    );
    expect(visibleText(moved).join('\n')).toContain(`support@contoso.com moved here from ${earlier.channel.name}`);
    const after = await w.rows();
    expect(after.mailboxes).toEqual([
      { channel: later.channel.conversationId, watchedBy: later.who.name, active: true },
    ]);
    expect(after.audit.map((a) => [a.action, a.actor, a.detail])).toEqual([
      ['watch', earlier.who.name, { channel: earlier.channel.name, kind: 'shared' }],
      ['move', later.who.name, { from: earlier.channel.name, to: later.channel.name, kind: 'shared' }],
    ]);
    expect(after.subscriptions).toEqual(before.subscriptions);
    expect([...w.graph.subscriptions.keys()]).toEqual([before.subscriptions[0]?.id]);
  });
});

describe.each(WATCH_WORLDS)('/watch answers to what changed while it was on its way, %s', (where) => {
  let w: WatchRowsWorld;
  beforeEach(async () => {
    w = await watchRowsWorld(where);
  });
  afterEach(async () => w.close());
  const watchIn = (who: Person, channel: Channel, typed: string) =>
    watchCommand(w.deps, turnIn(who, channel), channel.reference, typed, log);

  it('the Move button of a mailbox unwatched meanwhile says so and changes nothing; /watch here then works', async () => {
    await watchIn(ADELE, SUPPORT_CHANNEL, 'support@contoso.com');
    const data = { address: 'support@contoso.com', channel: SALES_CHANNEL.conversationId };
    const open = w.graph.hold('reply');
    const click = confirmMoveAction(w.deps, turnIn(ALEX, SALES_CHANNEL), SALES_CHANNEL.reference, data, log);
    await w.graph.callsReach('GET subscriptions/', 1);
    await unwatchCommand(w.deps, turnIn(ADELE, SUPPORT_CHANNEL), 'support@contoso.com', log);
    const before = await w.rows();
    open();
    const card = await click;
    expect(validateCard(card)).toEqual([]);
    expect(visibleText(card)).toEqual([
      'support@contoso.com is not watched',
      'It was unwatched while your move was on its way, so nothing moved and nothing changed here. New mail to it makes no cards anywhere.',
      'What to do: To watch it here, type @Mailroom /watch support@contoso.com in this channel.',
    ]);
    expect(await w.rows()).toEqual(before);
    expect(before.mailboxes).toEqual([
      { channel: SUPPORT_CHANNEL.conversationId, watchedBy: ADELE.name, active: false },
    ]);
    expect(w.graph.subscriptions.size).toBe(0);

    const watched = await watchIn(ALEX, SALES_CHANNEL, 'support@contoso.com');
    expect(visibleText(watched).join('\n')).toContain('Now watching');
    expect((await w.rows()).mailboxes).toEqual([
      { channel: SALES_CHANNEL.conversationId, watchedBy: ALEX.name, active: true },
    ]);
    expect(w.graph.subscriptions.size).toBe(1);
  });

  it('a /watch overtaken by the owner’s /autopilot on me says so, and offers to bring its cards here', async () => {
    const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };
    const { second: card } = await w.graph.overtake(
      () => watchIn(ADELE, SUPPORT_CHANNEL, 'megan@contoso.com'),
      () => watchOwnMailbox(w.deps, { tenantId: 't1', address: 'megan@contoso.com', actor: MEGAN }, log),
    );
    expect(validateCard(card)).toEqual([]);
    expect(visibleText(card)).toEqual([
      'megan@contoso.com was just watched for autopilot',
      "Megan Bowen turned on autopilot for megan@contoso.com, with no channel cards, while your /watch was on its way, so nothing changed here. To get its cards here, use the button below. Moving it sends new mail to Support instead, and the move is recorded in the Dashboard's activity log.",
      'To leave it without channel cards, do nothing.',
    ]);
    expect(actions(card)).toEqual([expect.objectContaining({ title: 'Move to Support' })]);
    expect((await w.rows()).mailboxes).toEqual([{ channel: null, watchedBy: MEGAN.name, active: true }]);
  });
});
