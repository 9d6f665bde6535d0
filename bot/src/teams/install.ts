import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationRepo } from '../store/repos/conversations.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import { channelReference, turnInfo } from './turn-info.js';

export interface InstallDeps {
  conversations: ConversationRepo;
  /** Learns a team's group id for the mailboxes it already watches (their owners become admins in the Dashboard). */
  mailboxes?: Pick<MailboxRepo, 'learnTeamGroup'>;
  clock: () => Date;
}

/**
 * Keeps the conversation references proactive posts need: stored when Mailroom is added to a team or chat
 * (membersAdded with the bot, or installationUpdate add), removed when it is taken out.
 */
export async function onInstallChange(deps: InstallDeps, ctx: TurnContext, log: Logger): Promise<void> {
  const a = ctx.activity;
  const botId = a.recipient?.id;
  const added =
    (a.type === 'installationUpdate' && (a.action ?? '').startsWith('add')) ||
    (a.membersAdded ?? []).some((m) => m.id === botId);
  const removed =
    (a.type === 'installationUpdate' && (a.action ?? '').startsWith('remove')) ||
    (a.membersRemoved ?? []).some((m) => m.id === botId);
  const turn = turnInfo(ctx);
  if (!turn.tenantId) {
    log.warn('install event without a tenant id; ignored');
    return;
  }
  if (added) {
    await deps.conversations.upsert({
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      kind: turn.conversationType,
      teamId: turn.teamId,
      channelId: turn.channelId,
      name: turn.channelName,
      reference: channelReference(ctx, turn) as Record<string, unknown>,
      installedAt: deps.clock().toISOString(),
    });
    if (turn.teamId && turn.aadGroupId) {
      await deps.mailboxes?.learnTeamGroup(turn.tenantId, turn.teamId, turn.aadGroupId);
    }
    log.info({ tenantId: turn.tenantId, conversationType: turn.conversationType }, 'Mailroom installed');
  } else if (removed) {
    const n = await deps.conversations.removeTeamOrChat(turn.tenantId, turn.teamId, turn.conversationId);
    log.info({ tenantId: turn.tenantId, removed: n }, 'Mailroom uninstalled');
  }
}
