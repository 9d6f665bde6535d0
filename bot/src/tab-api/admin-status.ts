import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { TabIdentity } from './identity.js';
import { adminByTeam } from './identity.js';

/**
 * Whether the caller is a Mailroom admin, and why, for the Dashboard's header: listed in MAILROOM_ADMINS or in the
 * MAILROOM_ADMIN_GROUP_ID group (every mailbox), or an owner of the team that gets some watched mailboxes' cards (those mailboxes only).
 */
export interface AdminStatus {
  listed: boolean;
  /** Watched mailboxes whose team the caller owns, sorted. */
  ownerOf: string[];
  /** One sentence: the reason, or why not. */
  why: string;
}

export async function adminStatus(
  db: Kysely<Database>,
  identity: TabIdentity,
  isAdmin: (identity: TabIdentity, teamGroupId?: string | null) => Promise<boolean>,
  team: string | undefined,
): Promise<AdminStatus> {
  const listed = await isAdmin(identity);
  let q = db
    .selectFrom('mailboxes')
    .select(['address', 'team_group_id'])
    .where('tenant_id', '=', identity.tid)
    .where('active', '=', 1)
    .where('team_group_id', 'is not', null);
  if (team) q = q.where('team_id', '=', team);
  const rows = await q.execute();
  const admin = listed
    ? new Map<string, boolean>()
    : await adminByTeam(
        rows.map((r) => r.team_group_id),
        (g) => isAdmin(identity, g),
      );
  const ownerOf = listed
    ? []
    : rows
        .filter((r) => admin.get(r.team_group_id ?? ''))
        .map((r) => r.address)
        .sort();
  const why = listed
    ? 'Mailroom admin: listed in MAILROOM_ADMINS or a member of its admin group, so an admin of every mailbox.'
    : ownerOf.length > 0
      ? `Mailroom admin of ${ownerOf.join(', ')}: an owner of the team that gets their cards.`
      : 'Not a Mailroom admin: admins are listed in MAILROOM_ADMINS or its admin group, and team owners are admins of their team’s mailboxes.';
  return { listed, ownerOf, why };
}
