/** Who is calling the tab API, from the verified SSO token. The identity is oid + tid. */
export interface TabIdentity {
  oid: string;
  tid: string;
  name: string;
  upn: string;
}

/** The person behind a state change, as the turn-off and retry ports receive it. */
export interface TabActor {
  id: string;
  name: string;
}

export function actorOf(identity: TabIdentity): TabActor {
  return { id: identity.oid, name: identity.name || identity.upn || identity.oid };
}

/**
 * Whether the caller is an admin for each team's mailboxes, asked once per distinct team and all at once (each
 * answer may be a Graph roster read). Read the result with `admin.get(teamGroupId ?? '')`.
 */
export async function adminByTeam(
  teamGroupIds: Array<string | null>,
  adminFor: (teamGroupId: string | null) => Promise<boolean>,
): Promise<Map<string, boolean>> {
  const teams = [...new Set(teamGroupIds.map((g) => g ?? ''))];
  const answers = await Promise.all(teams.map((g) => adminFor(g === '' ? null : g)));
  return new Map(teams.map((g, i) => [g, answers[i] ?? false]));
}
