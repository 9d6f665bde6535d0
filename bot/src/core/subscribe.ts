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
  for (const s of rows.filter((r) => !gone.includes(r.id) && Date.parse(r.expiresAt) > now + 60_000)) {
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
 * delta).
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
 * Commits `work` in one unit of work. When it fails after Graph made a subscription for it, that subscription is
 * deleted at Graph (best effort, logged), so none is left sending notifications that no row knows.
 */
export async function commitOrUnsubscribe<T>(
  deps: Pick<SubscribeDeps, 'mail' | 'uow'>,
  plan: SubscriptionPlan,
  log: Logger,
  work: (tx: WorkPorts) => Promise<T>,
): Promise<T> {
  try {
    return await deps.uow.run(work);
  } catch (err) {
    const made = plan.created;
    if (made) {
      try {
        await deps.mail.deleteSubscription(made.id);
        log.warn({ err, subscriptionId: made.id }, 'recording the subscription failed; deleted it at Graph');
      } catch (cleanup) {
        log.error(
          { err: cleanup, subscriptionId: made.id },
          'could not delete the unrecorded subscription; it expires',
        );
      }
    }
    throw err;
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
  const outcome = await commitOrUnsubscribe(deps, plan, log, (tx) =>
    recordSubscription(tx, mailbox, plan, deps.clock(), opts.catchupReason ?? 'resubscribed'),
  );
  if (plan.created) logSubscribed(log, mailbox.address, plan.created);
  return outcome;
}

export function logSubscribed(log: Logger, address: string, sub: { id: string; expiresAt: string }): void {
  log.info({ mailbox: address, subscriptionId: sub.id, expiresAt: sub.expiresAt }, 'subscribed to mailbox');
}
