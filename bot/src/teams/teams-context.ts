import type { Activity, ConversationReference } from 'botbuilder';

/**
 * Where an activity came from, read from the fields Teams sets. Channel messages carry `channelData.channel.id`
 * (and `teamsChannelId`) and a conversation id with `;messageid=` when they are replies in a thread; the bot's
 * install in a team arrives with `channelData.team` and the General channel's id (= the team id) as conversation.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */
export interface TeamsContext {
  tenantId: string;
  kind: 'channel' | 'groupChat' | 'personal';
  /** The team's thread id (`19:…@thread.tacv2`), which is also its General channel's id. */
  teamId: string | undefined;
  teamName: string | undefined;
  aadGroupId: string | undefined;
  /** The channel's id, without any `;messageid=` suffix. */
  channelId: string | undefined;
  /** The root message of the thread this activity is in, when it is in one. */
  threadRootId: string | undefined;
  conversationId: string;
  serviceUrl: string;
}

interface ChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  teamsChannelId?: string;
  teamsTeamId?: string;
  eventType?: string;
}

function channelDataOf(activity: Partial<Activity>): ChannelData {
  const data: unknown = activity.channelData;
  return typeof data === 'object' && data !== null ? (data as ChannelData) : {};
}

/** Splits `19:abc@thread.tacv2;messageid=123` into the channel id and the thread's root message id. */
export function splitThreadId(conversationId: string): { channelId: string; threadRootId: string | undefined } {
  const match = /^(.*);messageid=(.+)$/.exec(conversationId);
  return match?.[1] && match[2]
    ? { channelId: match[1], threadRootId: match[2] }
    : { channelId: conversationId, threadRootId: undefined };
}

export function teamsContextOf(activity: Partial<Activity>): TeamsContext {
  const data = channelDataOf(activity);
  const conversationId = activity.conversation?.id ?? '';
  const type = activity.conversation?.conversationType;
  const kind =
    type === 'channel'
      ? 'channel'
      : type === 'personal'
        ? 'personal'
        : type === 'groupChat'
          ? 'groupChat'
          : activity.conversation?.isGroup
            ? 'groupChat'
            : 'personal';
  const split = splitThreadId(conversationId);
  return {
    tenantId: data.tenant?.id ?? activity.conversation?.tenantId ?? '',
    kind: data.team?.id || data.teamsTeamId ? 'channel' : kind,
    teamId: data.team?.id ?? data.teamsTeamId,
    teamName: data.team?.name,
    aadGroupId: data.team?.aadGroupId,
    channelId: data.channel?.id ?? data.teamsChannelId ?? (kind === 'channel' ? split.channelId : undefined),
    threadRootId: split.threadRootId,
    conversationId,
    serviceUrl: activity.serviceUrl ?? '',
  };
}

/** True when this conversationUpdate/installationUpdate says the bot itself was added (installed). */
export function botWasAdded(activity: Partial<Activity>): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'add';
  const botId = activity.recipient?.id;
  return activity.type === 'conversationUpdate' && !!botId && !!activity.membersAdded?.some((m) => m.id === botId);
}

/** True when this conversationUpdate/installationUpdate says the bot itself was removed (uninstalled). */
export function botWasRemoved(activity: Partial<Activity>): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'remove';
  const botId = activity.recipient?.id;
  return activity.type === 'conversationUpdate' && !!botId && !!activity.membersRemoved?.some((m) => m.id === botId);
}

/**
 * The command a person typed, without the bot's @mention: `<at>Mailroom</at> /watch sales@` → `/watch sales@`.
 * Teams puts the mention markup into `text`; the entity's `text` names exactly what to strip.
 */
export function commandText(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    const mentioned = (entity as { mentioned?: { id?: string } }).mentioned;
    const markup = (entity as { text?: string }).text;
    if (entity.type === 'mention' && mentioned?.id === botId && markup) text = text.split(markup).join(' ');
  }
  return text
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The reference to keep for posting into this team or chat later. For a channel it points at the channel itself
 * (no `;messageid=`), so a new post starts a new thread rather than replying into the thread it came from.
 */
export function conversationReferenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const ctx = teamsContextOf(activity);
  const conversationId = ctx.kind === 'channel' && ctx.channelId ? ctx.channelId : ctx.conversationId;
  return {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: ctx.serviceUrl,
    ...(activity.recipient ? { bot: activity.recipient } : {}),
    conversation: {
      id: conversationId,
      isGroup: ctx.kind !== 'personal',
      conversationType: ctx.kind,
      tenantId: ctx.tenantId,
      name: '',
    },
  };
}
