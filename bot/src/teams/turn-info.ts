import { type ConversationReference, TurnContext } from 'botbuilder';

export interface TurnInfo {
  tenantId: string;
  /**
   * `id` is the AAD object id (how Mailroom compares people); `mri` is the Teams user id (`29:…`, `from.id`),
   * which is what Teams itself names a user by, e.g. in a card's refresh.userIds.
   */
  user: { id: string; name: string; upn?: string; mri?: string };
  /** channel | personal | groupChat */
  conversationType: 'channel' | 'personal' | 'groupChat';
  /** For a channel: the channel's conversation id (without any `;messageid=` thread suffix). */
  conversationId: string;
  teamId: string | null;
  /**
   * The team's AAD group id, the id Graph knows it by (`GET /teams/{id}/members` gives its owners). Teams sends
   * `channelData.team.aadGroupId` on install and team events; other activities may leave it out (then null).
   */
  aadGroupId: string | null;
  channelId: string | null;
  channelName: string | null;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
}

/** What Mailroom needs to know about who is speaking, and where, from a Teams activity. */
export function turnInfo(ctx: TurnContext): TurnInfo {
  const a = ctx.activity;
  const cd = (a.channelData ?? {}) as TeamsChannelData;
  const rawType = a.conversation?.conversationType;
  const conversationType = rawType === 'channel' ? 'channel' : rawType === 'groupChat' ? 'groupChat' : 'personal';
  const baseId = (a.conversation?.id ?? '').split(';')[0] ?? '';
  const channelId = cd.channel?.id ?? (conversationType === 'channel' ? baseId : null);
  const upn = (a.from as { userPrincipalName?: string } | undefined)?.userPrincipalName;
  return {
    tenantId: a.conversation?.tenantId ?? cd.tenant?.id ?? '',
    user: {
      id: a.from?.aadObjectId ?? a.from?.id ?? '',
      name: a.from?.name ?? 'Someone',
      ...(upn ? { upn } : {}),
      ...(a.from?.id ? { mri: a.from.id } : {}),
    },
    conversationType,
    conversationId: conversationType === 'channel' && channelId ? channelId : baseId,
    teamId: cd.team?.id ?? null,
    aadGroupId: cd.team?.aadGroupId ?? null,
    channelId,
    channelName: cd.channel?.name ?? (channelId && cd.team?.id === channelId ? 'General' : null),
  };
}

/** The reference a proactive post needs, pinned to the channel itself rather than to one thread in it. */
export function channelReference(ctx: TurnContext, info: TurnInfo): Partial<ConversationReference> {
  const ref = TurnContext.getConversationReference(ctx.activity);
  return {
    ...ref,
    conversation: { ...(ref.conversation ?? {}), id: info.conversationId } as ConversationReference['conversation'],
  };
}
