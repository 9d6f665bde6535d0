import type { Logger } from 'pino';
import { z } from 'zod';
import { MailroomError } from '../../core/errors.js';
import { unwatchMailbox, type WatchAccessDeps, watchMailbox } from '../../core/watch.js';
import type { CardJson } from '../cards/expand-template.js';
import { moveConfirmCard } from '../cards/move-confirm-card.js';
import { noticeCard } from '../cards/notice-card.js';
import { unwatchCard } from '../cards/unwatch-card.js';
import { watchCard } from '../cards/watch-card.js';
import type { TurnInfo } from '../turn-info.js';
import { callerAddress } from './license-commands.js';
import { resolveMailbox, resolveWatchTarget } from './resolve-mailbox.js';

export type WatchCommandDeps = WatchAccessDeps;

/** Domains the tenant's watched mailboxes use, so `support@` can be completed. */
function domainsOf(addresses: string[]): string[] {
  return [...new Set(addresses.map((a) => a.slice(a.indexOf('@') + 1)).filter((d) => d !== ''))];
}

export async function watchCommand(
  deps: WatchCommandDeps,
  turn: TurnInfo,
  reference: Record<string, unknown>,
  typed: string,
  log: Logger,
  opts: { confirmedMove?: boolean } = {},
): Promise<CardJson> {
  if (turn.conversationType !== 'channel' || !turn.channelId) {
    return noticeCard({
      title: '/watch works in a channel',
      text: 'Mailroom posts a mailbox’s mail as cards in a team channel, so /watch must be typed there.',
      remedy: `Open the channel that should get the cards and type @Mailroom /watch ${typed}`,
      tone: 'info',
    });
  }
  const watched = (await deps.mailboxes.listActive(turn.tenantId)).map((m) => m.address);
  const address =
    typed.toLowerCase() === 'me'
      ? await callerAddress(deps, turn)
      : resolveWatchTarget(typed, watched, domainsOf(watched));
  const outcome = await watchMailbox(
    deps,
    {
      tenantId: turn.tenantId,
      address,
      channel: {
        conversationId: turn.conversationId,
        name: turn.channelName,
        teamId: turn.teamId,
        teamGroupId: turn.aadGroupId,
        channelId: turn.channelId,
        // The channel's reference, which proactive posts need, is stored with the watch.
        reference,
      },
      actor: turn.user,
      confirmedMove: opts.confirmedMove === true,
    },
    log,
  );
  const here = turn.channelName ?? 'this channel';
  if (outcome.kind === 'confirm_move') {
    const overtaken = outcome.overtaken
      ? { overtakenBy: outcome.mailbox.watchedBy, fromNoChannel: outcome.mailbox.channelConversationId === null }
      : {};
    return moveConfirmCard({ address, from: outcome.from, to: here, channel: turn.conversationId, ...overtaken });
  }
  if (outcome.kind === 'unwatched_meanwhile') {
    return noticeCard({
      title: `${address} is not watched`,
      text: `It was unwatched while your ${opts.confirmedMove ? 'move' : '/watch'} was on its way, so nothing moved and nothing changed here. New mail to it makes no cards anywhere.`,
      remedy: `To watch it here, type @Mailroom /watch ${address} in this channel.`,
      tone: 'info',
    });
  }
  const { mailbox, isNew, movedFrom, repaired } = outcome;
  return watchCard({
    mailbox: { address: mailbox.address, displayName: mailbox.displayName, kind: mailbox.kind },
    channelName: here,
    isNew,
    movedFrom,
    repaired,
  });
}

const moveData = z.object({ address: z.string().min(3).max(320), channel: z.string().min(1).max(400) });

/**
 * The "Move to …" button of the confirmation card: the same /watch, confirmed, in the channel the card was posted
 * to. The actor's rights are checked again (they may have changed), so a crafted invoke gains nothing.
 */
export async function confirmMoveAction(
  deps: WatchCommandDeps,
  turn: TurnInfo,
  reference: Record<string, unknown>,
  raw: unknown,
  log: Logger,
): Promise<CardJson> {
  const data = moveData.safeParse(raw);
  if (!data.success || data.data.channel !== turn.conversationId) {
    throw new MailroomError('bad_request', 'This button belongs to another channel’s card.', {
      remedy: 'Type /watch <mailbox> again in the channel that should get its cards.',
    });
  }
  return watchCommand(deps, turn, reference, data.data.address, log, { confirmedMove: true });
}

export async function unwatchCommand(
  deps: WatchCommandDeps,
  turn: TurnInfo,
  typed: string,
  log: Logger,
): Promise<CardJson> {
  const watched = (await deps.mailboxes.listActive(turn.tenantId)).map((m) => m.address);
  const address = typed.toLowerCase() === 'me' ? await callerAddress(deps, turn) : resolveMailbox(typed, watched);
  const mailbox = await unwatchMailbox(
    deps,
    {
      tenantId: turn.tenantId,
      address,
      actor: turn.user,
    },
    log,
  );
  return unwatchCard({
    mailbox: { address: mailbox.address, displayName: mailbox.displayName },
    channelName: mailbox.channelName ?? 'its channel',
  });
}
