import type { Kysely } from 'kysely';
import type { Engine } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { type FailedEmailJobs, failedEmailJobs } from './failed-email-jobs.js';
import { type MailboxBacklog, mailboxBacklogs } from './mailbox-backlog.js';
import { type MailboxFacts, type MailboxProblem, mailboxProblems } from './mailbox-problems.js';
import { inScope, mailboxCondition, type ViewerScope } from './viewer-scope.js';

export interface MailboxCard {
  id: string;
  address: string;
  displayName: string;
  kind: string;
  channel: { name: string | null; conversationId: string | null };
  license: {
    status: 'licensed' | 'unlicensed' | 'expired';
    seatsUsed: number;
    seatsTotal: number;
    expiresAt: string | null;
  };
  subscription: {
    status: 'active' | 'expired' | 'missing';
    expiresAt: string | null;
    lastNotificationAt: string | null;
    lastCatchupAt: string | null;
    backlog: MailboxBacklog;
  };
  activeRules: number;
  /** Its emails' card, suggestion, category and autopilot jobs that failed for good in the last day. */
  failedJobs: FailedEmailJobs;
  problems: MailboxProblem[];
}

/** A mailbox as a filter offers it: every one the tenant ever watched, since old saves stay listed. */
export interface MailboxName {
  id: string;
  address: string;
  active: boolean;
}

export async function listMailboxNames(
  db: Kysely<Database>,
  tenantId: string,
  scope: ViewerScope,
  team?: string,
): Promise<MailboxName[]> {
  const rows = await db
    .selectFrom('mailboxes')
    .where('tenant_id', '=', tenantId)
    .$if(team !== undefined, (q) => q.where('team_id', '=', team ?? ''))
    .where(inScope(mailboxCondition(scope)))
    .select(['id', 'address', 'active'])
    .orderBy('active', 'desc')
    .orderBy('address')
    .execute();
  return rows.map((r) => ({ id: r.id, address: r.address, active: r.active === 1 }));
}

/** The watched mailboxes of one tenant, each with license and subscription health. */
export async function listMailboxes(
  db: Kysely<Database>,
  engine: Engine,
  tenantId: string,
  now: Date,
  catchupIntervalMinutes: number,
  scope: ViewerScope,
  team?: string,
): Promise<MailboxCard[]> {
  const [mailboxes, subs, license, seats, rules] = await Promise.all([
    db
      .selectFrom('mailboxes')
      .where('tenant_id', '=', tenantId)
      .where('active', '=', 1)
      .$if(team !== undefined, (q) => q.where('team_id', '=', team ?? ''))
      .where(inScope(mailboxCondition(scope)))
      .selectAll()
      .orderBy('address')
      .execute(),
    db.selectFrom('subscriptions').where('tenant_id', '=', tenantId).selectAll().orderBy('created_at', 'asc').execute(),
    db.selectFrom('licenses').where('tenant_id', '=', tenantId).selectAll().executeTakeFirst(),
    db.selectFrom('license_seats').where('tenant_id', '=', tenantId).select('subject').execute(),
    db
      .selectFrom('autopilot_rules')
      .where('tenant_id', '=', tenantId)
      .where('active', '=', 1)
      .select(['mailbox_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('mailbox_id')
      .execute(),
  ]);
  const ids = mailboxes.map((m) => m.id);
  const [failedOf, backlogOf] = await Promise.all([
    failedEmailJobs(db, engine, tenantId, ids, now),
    mailboxBacklogs(db, engine, tenantId, ids),
  ]);
  const seatSet = new Set(seats.map((s) => s.subject.toLowerCase()));
  const licenseExpired = license ? Date.parse(license.expires_at) <= now.getTime() : false;
  const cards: MailboxCard[] = [];
  for (const m of mailboxes) {
    // Later rows win: an active subscription beats a removed one, a newer one an older one.
    const mine = subs.filter((s) => s.mailbox_id === m.id);
    const sub = mine.filter((s) => s.status === 'active').pop() ?? mine.pop() ?? null;
    const backlog = backlogOf(m.id);
    const hasSeat = seatSet.has(m.address.toLowerCase());
    const licenseStatus = !license || !hasSeat ? 'unlicensed' : licenseExpired ? 'expired' : 'licensed';
    const activeRules = Number(rules.find((r) => r.mailbox_id === m.id)?.n ?? 0);
    const failedJobs = failedOf(m.id);
    const facts: MailboxFacts = {
      address: m.address,
      channelName: m.channel_name,
      // A person's own mailbox (`/autopilot on me`) has no channel by design.
      hasChannel: m.kind === 'user' || m.channel_conversation_id !== null,
      subscription: sub ? { status: sub.status, expiresAt: sub.expires_at } : null,
      lastNotificationAt: m.last_notification_at,
      lastCatchupAt: m.last_catchup_at,
      backlog,
      license: {
        status: licenseStatus,
        expiresAt: license?.expires_at ?? null,
      },
      activeMailboxRules: activeRules,
      failedJobs,
    };
    const subStatus =
      sub?.status !== 'active' ? 'missing' : Date.parse(sub.expires_at) <= now.getTime() ? 'expired' : 'active';
    cards.push({
      id: m.id,
      address: m.address,
      displayName: m.display_name,
      kind: m.kind,
      channel: { name: m.channel_name, conversationId: m.channel_conversation_id },
      license: {
        status: facts.license.status,
        seatsUsed: seatSet.size,
        seatsTotal: license?.seats ?? 0,
        expiresAt: license?.expires_at ?? null,
      },
      subscription: {
        status: subStatus,
        expiresAt: sub?.expires_at ?? null,
        lastNotificationAt: m.last_notification_at,
        lastCatchupAt: m.last_catchup_at,
        backlog,
      },
      activeRules,
      failedJobs,
      problems: mailboxProblems(facts, now, catchupIntervalMinutes),
    });
  }
  return cards;
}
