import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { adminFix, errorWords } from '../core/error-words.js';
import type { MailroomError } from '../core/errors.js';
import type { TeamsOfAnswer } from '../core/team-reach.js';
import type { Database } from '../store/schema.js';
import type { TabIdentity } from './identity.js';

/**
 * What one Dashboard request may see and act on (core/team-reach.ts). A Mailroom admin of every mailbox (listed in
 * MAILROOM_ADMINS or in the admin group) sees the whole tenant. Anyone else sees the rows of the mailboxes whose
 * team they are in, by Graph's roster of that team, and what they did themselves (their saves, claims and rules);
 * nothing of a mailbox with no known team (watched before team ids were kept, or a person's own mailbox) and no
 * Teams message saved by someone else, since neither has a team to check. Asked once per request.
 */
export interface ViewerScope {
  oid: string;
  all: boolean;
  /** Microsoft 365 group ids of the caller's teams, among those the tenant's mailboxes send cards to. */
  teams: string[];
  /** Why some teams could not be checked (and count as not the caller's). */
  problem: MailroomError | null;
}

export interface ScopeDeps {
  isAdmin(identity: TabIdentity): Promise<boolean>;
  teamsOf(identity: TabIdentity, teamGroupIds: string[]): Promise<TeamsOfAnswer>;
}

export async function viewerScope(db: Kysely<Database>, identity: TabIdentity, deps: ScopeDeps): Promise<ViewerScope> {
  if (await deps.isAdmin(identity)) return { oid: identity.oid, all: true, teams: [], problem: null };
  const rows = await db
    .selectFrom('mailboxes')
    .where('tenant_id', '=', identity.tid)
    .where('team_group_id', 'is not', null)
    .select('team_group_id')
    .distinct()
    .execute();
  const groups = rows.flatMap((r) => (r.team_group_id ? [r.team_group_id] : []));
  const answer = groups.length > 0 ? await deps.teamsOf(identity, groups) : { teams: [], problem: null };
  return { oid: identity.oid, all: false, teams: answer.teams, problem: answer.problem };
}

/**
 * The scope as a WHERE condition: the row's mailbox team (`teamColumn`, a Microsoft 365 group id) is one of the
 * caller's, or `mine` holds (the caller made the row). Null for an admin of every mailbox: no condition.
 */
export function scopeCondition(
  scope: ViewerScope,
  teamColumn: string,
  mine: RawBuilder<SqlBool>,
): RawBuilder<SqlBool> | null {
  if (scope.all) return null;
  if (scope.teams.length === 0) return mine;
  return sql<SqlBool>`(${sql.ref(teamColumn)} in (${sql.join(scope.teams)}) or ${mine})`;
}

/** A scope condition to put in a WHERE as it is: none (an admin of every mailbox) is `true`. */
export function inScope(cond: RawBuilder<SqlBool> | null): RawBuilder<SqlBool> {
  return cond ?? sql<SqlBool>`true`;
}

/** `column = caller`: the rows the caller made. */
export function byCaller(scope: ViewerScope, column: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ${scope.oid}`;
}

/** A mailbox the caller reaches: one of their teams', or (no team known) one they watched themselves. */
export function mailboxCondition(scope: ViewerScope, table = 'mailboxes'): RawBuilder<SqlBool> | null {
  return scopeCondition(
    scope,
    `${table}.team_group_id`,
    sql<SqlBool>`(${sql.ref(`${table}.team_group_id`)} is null and ${sql.ref(`${table}.watched_by`)} = ${scope.oid})`,
  );
}

/** What /api/tab/me says of the caller's reach: the Dashboard's empty state and its notice come from it. */
export interface DashboardReach {
  /** An admin of every mailbox. */
  all: boolean;
  /** The watched mailboxes the caller sees, sorted. */
  mailboxes: string[];
  /** Why the caller may see less than their teams', in a person's words, with the admin's fix. */
  problem: { code: string; title: string; next: string; fix: string } | null;
}

export async function reachOf(
  db: Kysely<Database>,
  identity: TabIdentity,
  scope: ViewerScope,
): Promise<DashboardReach> {
  const rows = await db
    .selectFrom('mailboxes')
    .where('tenant_id', '=', identity.tid)
    .where('active', '=', 1)
    .where(inScope(mailboxCondition(scope)))
    .select('address')
    .orderBy('address')
    .execute();
  const p = scope.problem;
  const problem = p ? { code: p.code, ...errorWords(p), fix: adminFix(p) } : null;
  return { all: scope.all, mailboxes: rows.map((r) => r.address), problem };
}
