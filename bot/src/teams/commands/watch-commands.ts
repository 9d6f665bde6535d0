import type { Logger } from 'pino';
import type { WatchDeps } from '../../core/watch.js';
import { unwatchMailbox, watchMailbox } from '../../core/watch.js';
import type { AuditRepo } from '../../store/repos/audit.js';
import type { ConversationRepo } from '../../store/repos/conversations.js';
import type { CardJson } from '../cards/expand-template.js';
import { noticeCard } from '../cards/notice-card.js';
import { unwatchCard } from '../cards/unwatch-card.js';
import { watchCard } from '../cards/watch-card.js';
import type { TurnInfo } from '../turn-info.js';
import { resolveMailbox, resolveWatchTarget } from './resolve-mailbox.js';

export interface WatchCommandDeps extends WatchDeps {
  conversations: ConversationRepo;
  /** Who watched or unwatched which mailbox, for the Dashboard's activity log. */
  audit?: Pick<AuditRepo, 'record'>;
}

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
  const address = resolveWatchTarget(typed, watched, domainsOf(watched));
  await deps.conversations.upsert({
    tenantId: turn.tenantId,
    conversationId: turn.conversationId,
    kind: 'channel',
    teamId: turn.teamId,
    channelId: turn.channelId,
    name: turn.channelName,
    reference,
    installedAt: deps.clock().toISOString(),
  });
  const { mailbox, isNew, movedFrom } = await watchMailbox(
    deps,
    {
      tenantId: turn.tenantId,
      address,
      channel: {
        conversationId: turn.conversationId,
        name: turn.channelName,
        teamId: turn.teamId,
        teamGroupId: turn.aadGroupId,
      },
      actor: turn.user,
    },
    log,
  );
  await deps.audit?.record({
    tenantId: turn.tenantId,
    actor: turn.user,
    action: 'watch',
    subject: mailbox.address,
    detail: { channel: turn.channelName, kind: mailbox.kind },
  });
  return watchCard({
    mailbox: { address: mailbox.address, displayName: mailbox.displayName, kind: mailbox.kind },
    channelName: turn.channelName ?? 'this channel',
    isNew,
    movedFrom,
  });
}

export async function unwatchCommand(
  deps: WatchCommandDeps,
  turn: TurnInfo,
  typed: string,
  log: Logger,
): Promise<CardJson> {
  const watched = (await deps.mailboxes.listActive(turn.tenantId)).map((m) => m.address);
  const address = resolveMailbox(typed, watched);
  const mailbox = await unwatchMailbox(deps, { tenantId: turn.tenantId, address }, log);
  await deps.audit?.record({ tenantId: turn.tenantId, actor: turn.user, action: 'unwatch', subject: mailbox.address });
  return unwatchCard({
    mailbox: { address: mailbox.address, displayName: mailbox.displayName },
    channelName: mailbox.channelName ?? 'its channel',
  });
}
