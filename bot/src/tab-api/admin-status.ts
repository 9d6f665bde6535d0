import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { TabIdentity } from './identity.js';
import { adminByTeam } from './identity.js';

/**
 * Whether the caller is a Mailroom admin, and why, for the Dashboard's header: listed in MAILROOM_ADMINS or in the
 * MAILROOM_ADMIN_GROUP_ID group (every mailbox, and the only ones who watch, move and unwatch), or an owner of the
 * team that gets some watched mailboxes' cards (their rules, claims and seats only).
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
    ? 'Mailroom admin of every mailbox: listed in MAILROOM_ADMINS or a member of its admin group. You may watch, move and unwatch mailboxes, turn off any autopilot rule, release any claim and assign seats.'
    : ownerOf.length > 0
      ? `Mailroom admin of ${ownerOf.join(', ')}: an owner of the team that gets their cards, so you may turn off their autopilot rules, release their claims and assign their seats. Watching, moving and unwatching a shared mailbox is for admins listed in MAILROOM_ADMINS or its admin group.`
      : 'Not a Mailroom admin: admins listed in MAILROOM_ADMINS or its admin group watch, move and unwatch mailboxes; a team’s owners turn off rules and release claims of the mailboxes watched in their team.';
  return { listed, ownerOf, why };
}
