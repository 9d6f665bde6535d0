import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import { ensureSubscription, type SubscribeDeps } from '../core/subscribe.js';
import { catchupJob, renewJob } from '../core/subscription-jobs.js';
import { JobKind, type RenewPayload } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { IntakeDeps } from './intake.js';

export interface KeeperDeps extends SubscribeDeps {
  queue: JobQueue;
}

export interface SubscriptionRef {
  id: string;
  tenantId: string;
  mailboxId: string;
  expiresAt: string;
}

export { renewAt } from '../core/subscription-jobs.js';

/** A row in the jobs table, so the renewal survives restarts and only one replica runs it. */
export async function scheduleRenewal(queue: JobQueue, clock: () => Date, sub: SubscriptionRef): Promise<void> {
  await queue.enqueue(renewJob(sub, clock()));
}

/** One catch-up waits per mailbox at a time: a second request while one is queued is a no-op. */
export async function enqueueCatchup(queue: JobQueue, tenantId: string, mailboxId: string, reason: string) {
  return queue.enqueue(catchupJob(tenantId, mailboxId, reason));
}

/**
 * Checks that Graph still has the subscription (GET /subscriptions/{id}); one waits per subscription at a time.
 * A subscription deleted or expired while Mailroom was down sends nothing and says nothing: only asking finds it.
 */
export async function enqueueVerify(queue: JobQueue, sub: { id: string; tenantId: string; mailboxId: string }) {
  const payload: RenewPayload = { subscriptionId: sub.id, mailboxId: sub.mailboxId, action: 'verify' };
  return queue.enqueue({
    tenantId: sub.tenantId,
    kind: JobKind.renew,
    payload,
    dedupeKey: `subscription.verify:${sub.id}`,
  });
}

async function enqueueRecreate(queue: JobQueue, tenantId: string, subscriptionId: string, mailboxId: string) {
  const payload: RenewPayload = { subscriptionId, mailboxId, action: 'recreate' };
  // Keyed per mailbox: a 404 on renewal and a subscriptionRemoved event for it make one new subscription.
  await queue.enqueue({ tenantId, kind: JobKind.renew, payload, dedupeKey: `subscription.recreate:${mailboxId}` });
}

/**
 * Graph's lifecycle events, already checked against clientState by the intake. The work happens in jobs, so
 * the HTTP answer stays within Graph's 3 seconds and a crash loses nothing.
 * https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export function lifecycleHandler(queue: JobQueue): NonNullable<IntakeDeps['onLifecycle']> {
  return async (e) => {
    if (e.lifecycleEvent === 'reauthorizationRequired') {
      const payload: RenewPayload = { subscriptionId: e.subscriptionId, mailboxId: e.mailboxId, action: 'reauthorize' };
      await queue.enqueue({
        tenantId: e.tenantId,
        kind: JobKind.renew,
        payload,
        dedupeKey: `${JobKind.renew}:${e.subscriptionId}:reauthorize`,
      });
    } else if (e.lifecycleEvent === 'subscriptionRemoved') {
      await enqueueRecreate(queue, e.tenantId, e.subscriptionId, e.mailboxId);
    } else if (e.lifecycleEvent === 'missed') {
      await enqueueCatchup(queue, e.tenantId, e.mailboxId, 'missed');
    }
  };
}

const notFound = (err: unknown) => err instanceof MailroomError && err.code === 'graph_subscription_not_found';

/**
 * The subscription job: renew (PATCH), reauthorize, verify (GET), or create again; a 404 always ends in creating
 * again, followed by a catch-up.
 */
export async function runSubscriptionJob(deps: KeeperDeps, tenantId: string, p: RenewPayload, log: Logger) {
  const sub = await deps.mailboxes.subscription(p.subscriptionId);
  const mailbox = await deps.mailboxes.byId(tenantId, p.mailboxId);
  if (!mailbox?.active) {
    log.info({ mailboxId: p.mailboxId }, 'mailbox no longer watched; subscription left alone');
    return;
  }
  if (p.action === 'recreate' || !sub || sub.status !== 'active') {
    if (p.action !== 'recreate') {
      log.info({ subscriptionId: p.subscriptionId }, 'subscription already replaced; nothing to renew');
      return;
    }
    await recreate(deps, tenantId, p, log);
    return;
  }
  if (p.action === 'verify') {
    if (await deps.mail.getSubscription(sub.id)) return;
    log.warn({ subscriptionId: sub.id }, 'Graph no longer has the subscription; creating it again');
    await recreate(deps, tenantId, p, log);
    return;
  }
  try {
    if (p.action === 'reauthorize') {
      try {
        await deps.mail.reauthorizeSubscription(sub.id);
        log.info({ subscriptionId: sub.id }, 'subscription reauthorized');
        return;
      } catch (err) {
        if (notFound(err)) throw err;
        // Renewing (PATCH) reauthorizes too, and extends the lifetime while at it.
        log.warn({ err }, 'reauthorize failed; renewing instead');
      }
    }
    const renewed = await deps.mail.renewSubscription(sub.id);
    // The new expiry and the next renewal commit together: neither is left without the other.
    await deps.uow.run(async (tx) => {
      const now = deps.clock();
      await tx.mailboxes.updateSubscription(sub.id, { expiresAt: renewed.expiresAt, now: now.toISOString() });
      await tx.jobs.enqueue(renewJob({ ...sub, expiresAt: renewed.expiresAt }, now));
    });
    log.info({ subscriptionId: sub.id, expiresAt: renewed.expiresAt }, 'subscription renewed');
  } catch (err) {
    if (!notFound(err)) throw err;
    log.warn({ subscriptionId: sub.id }, 'Graph no longer has the subscription; creating it again');
    await recreate(deps, tenantId, p, log);
  }
}

/**
 * The old subscription counts as lost without asking Graph; ensureSubscription records its removal, the new one,
 * its renewal and a catch-up (mail that arrived while there was none is only found by delta) in one unit of work.
 */
async function recreate(deps: KeeperDeps, tenantId: string, p: RenewPayload, log: Logger): Promise<void> {
  const mailbox = await deps.mailboxes.byId(tenantId, p.mailboxId);
  if (!mailbox?.active) return;
  await ensureSubscription(deps, mailbox, log, { gone: [p.subscriptionId], catchupReason: 'recreated' });
}
