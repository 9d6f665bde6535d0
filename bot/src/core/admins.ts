/**
 * Why someone is a Mailroom admin, as the Dashboard shows it:
 * - `listed`: their Entra object id is in MAILROOM_ADMINS (admin of every mailbox);
 * - `admin_group`: they are in the Entra group MAILROOM_ADMIN_GROUP_ID, directly or nested (every mailbox too);
 * - `team_owner`: they own the team whose channel gets the mailbox's cards (admin of that team's mailboxes only).
 */
export type AdminReason = 'listed' | 'admin_group' | 'team_owner';

export interface AdminSources {
  /** MAILROOM_ADMINS: Entra object ids, lower-cased (config does that). */
  configuredAdmins: readonly string[];
  /** Object ids of the owners of the team that gets the mailbox's cards (Graph's team roster). */
  teamOwnerIds: readonly string[];
}

const norm = (id: string) => id.trim().toLowerCase();

/**
 * The one definition of a Mailroom admin. People are compared by Entra object id (`from.aadObjectId` in Teams,
 * `oid` in a token, a user's `id` in Graph), never by display name or UPN: both can be changed or reused.
 * Object ids are GUIDs, so letter case does not matter.
 */
export function adminReasons(userId: string, sources: AdminSources): AdminReason[] {
  const id = norm(userId);
  if (id === '') return [];
  const reasons: AdminReason[] = [];
  if (sources.configuredAdmins.some((a) => norm(a) === id)) reasons.push('listed');
  if (sources.teamOwnerIds.some((o) => norm(o) === id)) reasons.push('team_owner');
  return reasons;
}

export function isAdmin(user: { aadObjectId: string }, sources: AdminSources): boolean {
  return adminReasons(user.aadObjectId, sources).length > 0;
}
