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
