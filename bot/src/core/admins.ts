export interface AdminCandidate {
  /** The AAD object id from the activity (`from.aadObjectId`). */
  aadObjectId: string;
  userPrincipalName?: string;
}

export interface AdminSources {
  /** MAILROOM_ADMINS: AAD object ids or UPNs, lower-cased (config does that). */
  configuredAdmins: readonly string[];
  /** AAD object ids of the owners of the team Mailroom is installed in, from the Teams roster. */
  teamOwnerIds: readonly string[];
}

/**
 * A Mailroom admin is listed in MAILROOM_ADMINS or owns the team. The Teams layer fetches the roster, so this
 * stays a pure check. Object ids are GUIDs, and UPNs are case-insensitive, so both compare lower-cased.
 */
export function isAdmin(user: AdminCandidate, sources: AdminSources): boolean {
  const id = user.aadObjectId.trim().toLowerCase();
  const upn = user.userPrincipalName?.trim().toLowerCase();
  const configured = new Set(sources.configuredAdmins.map((a) => a.trim().toLowerCase()));
  if (id !== '' && configured.has(id)) return true;
  if (upn && configured.has(upn)) return true;
  return id !== '' && sources.teamOwnerIds.some((o) => o.trim().toLowerCase() === id);
}
