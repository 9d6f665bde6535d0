import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type AssociationStatus, canRetry } from '../core/associations.js';
import { MailroomError } from '../core/errors.js';
import type { TeamsOfAnswer } from '../core/team-reach.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Engine } from '../store/db.js';
import { attachmentsOf } from '../store/repos/associations.js';
import type { Database } from '../store/schema.js';
import { adminStatus } from './admin-status.js';
import { teamScope } from './cursor.js';
import { actorOf, type TabActor, type TabIdentity } from './identity.js';
import { activityQuery, listActivity } from './list-activity.js';
import { associationsQuery, listAssociations } from './list-associations.js';
import { listClaims } from './list-claims.js';
import { listMailboxes, listMailboxNames } from './list-mailboxes.js';
import { listRules, rulesQuery } from './list-rules.js';
import { retryFailedEmailJobs } from './retry-failed-jobs.js';
import { guarded, notFound, parse, type TabRoute } from './route.js';
import { byCaller, inScope, mailboxCondition, reachOf, scopeCondition, viewerScope } from './viewer-scope.js';

export interface TabApiDeps {
  db: Kysely<Database>;
  /** Which engine `db` runs on: the text search uses each one's own index. */
  engine: Engine;
  /** The NetSuite UI deep link of a record (netsuite/ owns the URL shapes). */
  recordUrl(type: string, id: string): string;
  /**
   * A Mailroom admin: listed in MAILROOM_ADMINS or, given a team's Microsoft 365 group id, an owner of that team
   * (the team whose channel gets a mailbox's cards, for that mailbox's rules).
   */
  isAdmin(identity: TabIdentity, teamGroupId?: string | null): Promise<boolean>;
  /**
   * Which of these teams (Microsoft 365 group ids) the caller is in, from Graph's cached team rosters: a caller who
   * is not an admin of every mailbox sees only those teams' mailboxes, and their own rows (viewer-scope.ts).
   */
  teamsOf(identity: TabIdentity, teamGroupIds: string[]): Promise<TeamsOfAnswer>;
  /** Throws MailroomError 'rule_not_owner' or 'forbidden' with the refusal text. */
  turnOffRule(tenantId: string, ruleId: string, actor: TabActor): Promise<void>;
  retrySave(tenantId: string, associationId: string, actor: TabActor): Promise<void>;
  /** Releases a claim (the API has checked that the actor holds it or is an admin) and reopens its cards. */
  releaseClaim(tenantId: string, emailId: string, actor: TabActor): Promise<void>;
  /** Where a mailbox's failed email jobs are queued again (its Try again). */
  queue: Pick<JobQueue, 'requeueFailed'>;
  /** For the lines of actions that change state (the server logs refusals and failures itself). */
  log: Logger;
  now?: () => Date;
  /** How often delta catch-up runs; the health view flags a catch-up three intervals late. Default 15. */
  catchupIntervalMinutes?: number;
}

const idParam = z.object({ id: z.string().min(1).max(200) });
/** Mailroom makes mailbox ids (UUIDs); anything but letters, digits, `_` and `-` cannot be one. */
const mailboxIdParam = z.object({ id: z.string().regex(/^[\w-]{1,200}$/, 'must be a mailbox id') });

function refusal(code: 'rule_not_owner' | 'forbidden', who: string, what: string): MailroomError {
  return new MailroomError(code, `${who} an owner of the mailbox's team or a Mailroom admin can ${what}.`);
}

/**
 * The dashboard API. Every query is scoped to the token's tenant (identity.tid), and, for a caller who is not an
 * admin of every mailbox, to the mailboxes of their teams and their own rows (viewer-scope.ts): any other row is a
 * 404, as another tenant's is. A `team` parameter only narrows that further.
 */
export function tabRoutes(deps: TabApiDeps): TabRoute[] {
  const now = deps.now ?? (() => new Date());
  const { db } = deps;
  /** One roster lookup per request (each roster is cached across requests by the port). */
  const scopeOf = (identity: TabIdentity) =>
    viewerScope(db, identity, { isAdmin: (i) => deps.isAdmin(i), teamsOf: deps.teamsOf });
  /** Passes for the owner of the thing, or an admin of its mailbox's team; otherwise throws `refuse()`. */
  const ownerOrAdmin = async (
    identity: TabIdentity,
    ownerId: string,
    teamGroupId: string | null,
    refuse: () => MailroomError,
  ) => {
    if (ownerId === identity.oid || (await deps.isAdmin(identity, teamGroupId))) return;
    throw refuse();
  };
  const routes: TabRoute[] = [
    {
      method: 'GET',
      path: '/api/tab/me',
      handler: async ({ identity, query }) => {
        const { team } = parse(teamScope, query);
        const [admin, reach] = await Promise.all([
          adminStatus(db, identity, deps.isAdmin, team),
          scopeOf(identity).then((scope) => reachOf(db, identity, scope)),
        ]);
        return {
          status: 200,
          body: {
            identity,
            isAdmin: admin.listed || admin.ownerOf.length > 0,
            admin,
            reach,
            tenant: { id: identity.tid },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/associations',
      handler: async ({ identity, query }) => {
        const f = parse(associationsQuery, query);
        const scope = await scopeOf(identity);
        return { status: 200, body: await listAssociations(db, deps.engine, identity.tid, f, deps.recordUrl, scope) };
      },
    },
    {
      method: 'POST',
      path: '/api/tab/associations/:id/retry',
      handler: async ({ identity, params }) => {
        const { id } = parse(idParam, params);
        const scope = await scopeOf(identity);
        const row = await db
          .selectFrom('associations as a')
          .leftJoin('emails as e', (j) => j.onRef('e.id', '=', 'a.email_id').on('e.tenant_id', '=', identity.tid))
          .leftJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'e.mailbox_id').on('m.tenant_id', '=', identity.tid))
          .where('a.tenant_id', '=', identity.tid)
          .where('a.id', '=', id)
          .where(inScope(scopeCondition(scope, 'm.team_group_id', byCaller(scope, 'a.saved_by_id'))))
          .select(['a.status', 'a.attachments_json'])
          .executeTakeFirst();
        if (!row) throw notFound('That save');
        const status = row.status as AssociationStatus;
        if (!canRetry({ status, attachments: attachmentsOf(row.attachments_json) })) {
          throw new MailroomError(
            'out_of_date',
            `Only a failed save, or one whose attachments failed, can be retried; this one is ${row.status}.`,
          );
        }
        await deps.retrySave(identity.tid, id, actorOf(identity));
        return { status: 202, body: { id, status: 'pending' } };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/rules',
      handler: async ({ identity, query }) => {
        const { state, team } = parse(rulesQuery, query);
        const scope = await scopeOf(identity);
        return {
          status: 200,
          body: { items: await listRules(db, identity, (group) => deps.isAdmin(identity, group), state, scope, team) },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/tab/rules/:id/off',
      handler: async ({ identity, params }) => {
        const { id } = parse(idParam, params);
        const scope = await scopeOf(identity);
        const rule = await db
          .selectFrom('autopilot_rules as r')
          .leftJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'r.mailbox_id').on('m.tenant_id', '=', identity.tid))
          .where('r.tenant_id', '=', identity.tid)
          .where('r.id', '=', id)
          .where(inScope(scopeCondition(scope, 'm.team_group_id', byCaller(scope, 'r.owner_id'))))
          .select(['r.owner_id', 'r.owner_name', 'r.active', 'm.team_group_id'])
          .executeTakeFirst();
        if (!rule) throw notFound('That autopilot rule');
        if (rule.active !== 1) return { status: 200, body: { id, active: false } };
        // Invariant 4: the API enforces owner-or-admin itself, whatever the port does.
        await ownerOrAdmin(identity, rule.owner_id, rule.team_group_id, () =>
          refusal('rule_not_owner', `Only ${rule.owner_name}, who turned this rule on,`, 'turn it off'),
        );
        await deps.turnOffRule(identity.tid, id, actorOf(identity));
        return { status: 200, body: { id, active: false } };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/mailboxes',
      handler: async ({ identity, query }) => {
        const { team } = parse(teamScope, query);
        const scope = await scopeOf(identity);
        const interval = deps.catchupIntervalMinutes ?? 15;
        return {
          status: 200,
          body: { items: await listMailboxes(db, deps.engine, identity.tid, now(), interval, scope, team) },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/tab/mailboxes/:id/retry-failed',
      handler: async ({ identity, params }) => {
        const { id } = parse(mailboxIdParam, params);
        const scope = await scopeOf(identity);
        const mailbox = await db
          .selectFrom('mailboxes')
          .where('tenant_id', '=', identity.tid)
          .where('id', '=', id)
          .where(inScope(mailboxCondition(scope)))
          .select(['id', 'address', 'team_group_id'])
          .executeTakeFirst();
        if (!mailbox) throw notFound('That mailbox');
        if (!(await deps.isAdmin(identity, mailbox.team_group_id))) {
          throw refusal('forbidden', 'Only', 'try its failed email jobs again');
        }
        const actor = actorOf(identity);
        const queued = await retryFailedEmailJobs(deps, identity.tid, mailbox, actor, now());
        deps.log.info(
          { mailboxId: id, queued, actorId: actor.id },
          'failed email jobs queued again from the Dashboard',
        );
        return { status: 202, body: { mailboxId: id, queued } };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/mailboxes/names',
      handler: async ({ identity, query }) => {
        const { team } = parse(teamScope, query);
        const scope = await scopeOf(identity);
        return { status: 200, body: { items: await listMailboxNames(db, identity.tid, scope, team) } };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/claims',
      handler: async ({ identity, query }) => {
        const { team } = parse(teamScope, query);
        const scope = await scopeOf(identity);
        const adminFor = (group: string | null) => deps.isAdmin(identity, group);
        return { status: 200, body: { people: await listClaims(db, identity, now(), adminFor, scope, team) } };
      },
    },
    {
      method: 'POST',
      path: '/api/tab/claims/:id/release',
      handler: async ({ identity, params }) => {
        const { id } = parse(idParam, params);
        const scope = await scopeOf(identity);
        const claim = await db
          .selectFrom('claims as c')
          .innerJoin('emails as e', (j) => j.onRef('e.id', '=', 'c.email_id').on('e.tenant_id', '=', identity.tid))
          .leftJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'e.mailbox_id').on('m.tenant_id', '=', identity.tid))
          .where('c.tenant_id', '=', identity.tid)
          .where('c.email_id', '=', id)
          .where(inScope(scopeCondition(scope, 'm.team_group_id', byCaller(scope, 'c.user_id'))))
          .select(['c.user_id', 'c.user_name', 'm.team_group_id'])
          .executeTakeFirst();
        if (!claim) throw notFound('That claim');
        await ownerOrAdmin(identity, claim.user_id, claim.team_group_id, () =>
          refusal('forbidden', `Only ${claim.user_name}, who claimed it,`, 'release it'),
        );
        await deps.releaseClaim(identity.tid, id, actorOf(identity));
        return { status: 200, body: { emailId: id, released: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/tab/activity',
      handler: async ({ identity, query }) => {
        const f = parse(activityQuery, query);
        return { status: 200, body: await listActivity(db, identity.tid, f, await scopeOf(identity)) };
      },
    },
  ];
  return routes.map((r) => ({ ...r, handler: guarded(r.handler) }));
}
