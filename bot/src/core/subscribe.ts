import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Mailbox } from './email.js';
import type { MailboxStore, MailService, SubscriptionInfo, UnitOfWork, WorkPorts } from './ports.js';
import { catchupJob, renewJob } from './subscription-jobs.js';

/** What keeping a mailbox subscribed needs: Graph, the rows as they are, and one unit of work to record the answer. */
export interface SubscribeDeps {
  mail: MailService;
  mailboxes: MailboxStore;
  uow: UnitOfWork;
  clock: () => Date;
  /** The base URL Graph calls back (PUBLIC_URL). */
  publicUrl: string;
}

/** What ensureSubscription found: a live subscription, none (so it made one), or one Graph had lost (replaced). */
export type SubscriptionOutcome = 'live' | 'created' | 'replaced';

/** What Graph said, before anything is written: the subscriptions it lost, and the one it made now (if any). */
export interface SubscriptionPlan {
  /** Subscriptions the database calls active that Graph no longer has. */
  lost: string[];
  /** Made now, because none was live; null when one is. */
  created: (SubscriptionInfo & { clientState: string }) | null;
}

/**
 * Whether a subscription row still counts as live without asking Graph again: not known lost, and not expiring
 * within the minute (one that is, is replaced rather than renewed).
 */
function stillCurrent(row: { id: string; expiresAt: string }, now: number, lost: string[]): boolean {
  return !lost.includes(row.id) && Date.parse(row.expiresAt) > now + 60_000;
}

/**
 * Thrown inside a unit of work that finds, at commit, that another watch (or an unwatch) of the mailbox committed
 * first (two people typing /watch at once). Not a failure: the subscription made for this one is surplus, and
 * commitOrUnsubscribe deletes it at Graph and logs that as news, not as a warning.
 */
export class OvertakenByAnotherWatch extends Error {}

/**
 * The other watch committed a live subscription after this one asked Graph: commitOrUnsubscribe deletes the one made
 * here and commits the rest of the work without it.
 */
class SubscriptionSuperseded extends OvertakenByAnotherWatch {
  constructor(readonly subscriptionId: string) {
    super(`another watch of the mailbox committed a live subscription before ${subscriptionId}`);
  }
}

/** A secret Graph echoes back in every notification: fresh per subscription, up to 128 characters. */
export function newClientState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Asks Graph, and writes nothing: the database's live subscriptions of the mailbox are checked there
 * (GET /subscriptions/{id}), and when none is, a new one covering every folder (`users/{id}/messages`) is made.
 * `gone` names subscriptions already known lost (a subscriptionRemoved event, a 404): they count as lost unasked.
 */
export async function askGraph(
  deps: Pick<SubscribeDeps, 'mail' | 'mailboxes' | 'clock' | 'publicUrl'>,
  target: { tenantId: string; mailboxId: string | null; graphUserId: string; address: string },
  log: Logger,
  gone: string[] = [],
): Promise<SubscriptionPlan> {
  const now = deps.clock().getTime();
  const rows = target.mailboxId ? await deps.mailboxes.subscriptionsFor(target.tenantId, target.mailboxId) : [];
  const lost = [...gone];
  for (const s of rows.filter((r) => stillCurrent(r, now, gone))) {
    if (await deps.mail.getSubscription(s.id)) return { lost, created: null };
    log.warn(
      { mailbox: target.address, subscriptionId: s.id },
      'Graph no longer has the subscription; subscribing again',
    );
    lost.push(s.id);
  }
  const clientState = newClientState();
  const sub = await deps.mail.createSubscription({
    userId: target.graphUserId,
    notificationUrl: `${deps.publicUrl}/api/graph/notifications`,
    lifecycleNotificationUrl: `${deps.publicUrl}/api/graph/lifecycle`,
    clientState,
  });
  return { lost, created: { ...sub, clientState } };
}

/**
 * Records what Graph said, inside the caller's unit of work: lost subscriptions marked removed, the new one active
 * with its renewal job, and a catch-up when one replaced a lost one (mail that arrived in between is only found by
 * delta). A live subscription another watch committed since Graph was asked wins over the one in the plan
 * (SubscriptionSuperseded). The watch commands upsert the mailbox row first in the same transaction, which
 * PostgreSQL keeps locked until the commit, and SQLite runs one write transaction at a time, so that other commit is
 * seen here. The upkeep's re-subscription (ensureSubscription) takes no such lock: it races only a /watch of the same
 * mailbox in the same instant, and the worst case is a second subscription that is renewed like the first.
 */
export async function recordSubscription(
  tx: WorkPorts,
  mailbox: Pick<Mailbox, 'tenantId' | 'id'>,
  plan: SubscriptionPlan,
  now: Date,
  catchupReason: string,
): Promise<SubscriptionOutcome> {
  const at = now.toISOString();
  for (const id of plan.lost) await tx.mailboxes.updateSubscription(id, { status: 'removed', now: at });
  const sub = plan.created;
  if (!sub) return 'live';
  const others = await tx.mailboxes.subscriptionsFor(mailbox.tenantId, mailbox.id);
  if (others.some((r) => r.id !== sub.id && stillCurrent(r, now.getTime(), plan.lost))) {
    throw new SubscriptionSuperseded(sub.id);
  }
  const row = { id: sub.id, tenantId: mailbox.tenantId, mailboxId: mailbox.id, expiresAt: sub.expiresAt };
  await tx.mailboxes.saveSubscription({
    ...row,
    clientState: sub.clientState,
    resource: sub.resource,
    status: 'active',
    now: at,
  });
  await tx.jobs.enqueue(renewJob(row, now));
  if (plan.lost.length === 0) return 'created';
  await tx.jobs.enqueue(catchupJob(mailbox.tenantId, mailbox.id, catchupReason));
  return 'replaced';
}

/**
 * Commits `work` in one unit of work, handing it the plan to record. When the commit fails after Graph made a
 * subscription for it, that subscription is deleted at Graph (best effort, logged), so none is left sending
 * notifications that no row knows. When another watch of the mailbox committed a live subscription first, the one
 * made here is deleted the same way and `work` runs again without it, so the mailbox keeps exactly one. Any other
 * OvertakenByAnotherWatch `work` throws (it found the mailbox taken elsewhere) reaches the caller after that delete.
 */
export async function commitOrUnsubscribe<T>(
  deps: Pick<SubscribeDeps, 'mail' | 'uow'>,
  plan: SubscriptionPlan,
  at: { log: Logger; address: string },
  work: (tx: WorkPorts, plan: SubscriptionPlan) => Promise<T>,
): Promise<T> {
  try {
    const result = await deps.uow.run((tx) => work(tx, plan));
    if (plan.created) logSubscribed(at.log, at.address, plan.created);
    return result;
  } catch (err) {
    if (plan.created) await unsubscribeUnrecorded(deps, plan.created.id, err, at.log);
    if (!(err instanceof SubscriptionSuperseded)) throw err;
    at.log.info({ mailbox: at.address }, 'another watch subscribed the mailbox first; keeping its subscription');
    return deps.uow.run((tx) => work(tx, { lost: plan.lost, created: null }));
  }
}

async function unsubscribeUnrecorded(deps: Pick<SubscribeDeps, 'mail'>, id: string, err: unknown, log: Logger) {
  try {
    await deps.mail.deleteSubscription(id);
    if (err instanceof OvertakenByAnotherWatch) log.info({ subscriptionId: id }, 'deleted the surplus subscription');
    else log.warn({ err, subscriptionId: id }, 'recording the subscription failed; deleted it at Graph');
  } catch (cleanup) {
    log.error({ err: cleanup, subscriptionId: id }, 'could not delete the unrecorded subscription; it expires');
  }
}

/**
 * Keeps one live subscription per mailbox. The database's word is checked at Graph first: one deleted or expired
 * while Mailroom was down is marked removed and replaced (then caught up), so nothing stays silently deaf.
 */
export async function ensureSubscription(
  deps: SubscribeDeps,
  mailbox: Mailbox,
  log: Logger,
  opts: { gone?: string[]; catchupReason?: string } = {},
): Promise<SubscriptionOutcome> {
  const plan = await askGraph(
    deps,
    { tenantId: mailbox.tenantId, mailboxId: mailbox.id, graphUserId: mailbox.graphUserId, address: mailbox.address },
    log,
    opts.gone,
  );
  if (plan.created === null && plan.lost.length === 0) return 'live';
  return commitOrUnsubscribe(deps, plan, { log, address: mailbox.address }, (tx, recorded) =>
    recordSubscription(tx, mailbox, recorded, deps.clock(), opts.catchupReason ?? 'resubscribed'),
  );
}

function logSubscribed(log: Logger, address: string, sub: { id: string; expiresAt: string }): void {
  log.info({ mailbox: address, subscriptionId: sub.id, expiresAt: sub.expiresAt }, 'subscribed to mailbox');
}
