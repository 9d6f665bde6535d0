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
  // One install reaches the bot as two events, installationUpdate and conversationUpdate with the bot in
  // membersAdded (and one removal as two more). Both store or drop the reference; only installationUpdate, Teams'
  // own word for "the app was installed here", says so at info, so each install is one line.
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#installation-update-event
  const level = a.type === 'installationUpdate' ? 'info' : 'debug';
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
    log[level](
      { tenantId: turn.tenantId, conversationType: turn.conversationType, event: a.type },
      level === 'info' ? 'Mailroom installed' : 'conversation reference stored',
    );
  } else if (removed) {
    const n = await deps.conversations.removeTeamOrChat(turn.tenantId, turn.teamId, turn.conversationId);
    log[level](
      { tenantId: turn.tenantId, removed: n, event: a.type },
      level === 'info' ? 'Mailroom uninstalled' : 'conversation reference removed',
    );
  }
}
