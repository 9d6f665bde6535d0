import type { Activity } from 'botbuilder';

/**
 * Every tenant id an activity names, lower-cased: Teams puts it in `channelData.tenant.id` and, for most activities,
 * in `conversation.tenantId` too. Both must be the served tenant; an activity that names none is not from Teams.
 * Microsoft's Teams SDK reads it the same way, from either place, and treats an empty one as absent:
 * https://learn.microsoft.com/dotnet/api/microsoft.teams.apps.schema.teamsactivity.tenantid
 */
export function activityTenants(activity: Pick<Activity, 'channelData' | 'conversation'>): string[] {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  const ids = [fromChannelData, fromConversation].filter((v) => v !== undefined && v !== null && v !== '');
  return [...new Set(ids.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : `<${typeof v}>`)))];
}
