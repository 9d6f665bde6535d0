import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import { ensureSubscription, type WatchDeps } from '../core/watch.js';
import { type CatchupPayload, JobKind, type RenewPayload } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { IntakeDeps } from './intake.js';

export interface KeeperDeps extends WatchDeps {
  queue: JobQueue;
}

export interface SubscriptionRef {
  id: string;
  tenantId: string;
  mailboxId: string;
  expiresAt: string;
}

/** Below this much lifetime left, renew now rather than at the half-way mark. */
const RENEW_NOW_MS = 2 * 60_000;

/**
 * Renew at about half the remaining lifetime: a renewal that fails (Graph down, throttled) then has the other
 * half to succeed in. https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime
 */
export function renewAt(expiresAt: string, now: Date): Date {
  const left = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(left) || left <= RENEW_NOW_MS) return now;
  return new Date(now.getTime() + Math.floor(left / 2));
}

/** A row in the jobs table, so the renewal survives restarts and only one replica runs it. */
export async function scheduleRenewal(queue: JobQueue, clock: () => Date, sub: SubscriptionRef): Promise<void> {
  const payload: RenewPayload = { subscriptionId: sub.id, mailboxId: sub.mailboxId, action: 'renew' };
  await queue.enqueue({
    tenantId: sub.tenantId,
    kind: JobKind.renew,
    payload,
    dedupeKey: `${JobKind.renew}:${sub.id}`,
    runAt: renewAt(sub.expiresAt, clock()),
  });
}

/** One catch-up waits per mailbox at a time: a second request while one is queued is a no-op. */
export async function enqueueCatchup(queue: JobQueue, tenantId: string, mailboxId: string, reason: string) {
  const payload: CatchupPayload = { mailboxId, reason };
  return queue.enqueue({ tenantId, kind: JobKind.catchup, payload, dedupeKey: `${JobKind.catchup}:${mailboxId}` });
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
    const now = deps.clock();
    await deps.mailboxes.updateSubscription(sub.id, { expiresAt: renewed.expiresAt, now: now.toISOString() });
    await scheduleRenewal(deps.queue, deps.clock, { ...sub, expiresAt: renewed.expiresAt });
    log.info({ subscriptionId: sub.id, expiresAt: renewed.expiresAt }, 'subscription renewed');
  } catch (err) {
    if (!notFound(err)) throw err;
    log.warn({ subscriptionId: sub.id }, 'Graph no longer has the subscription; creating it again');
    await recreate(deps, tenantId, p, log);
  }
}

/** The old subscription is marked removed first, so ensureSubscription does not count it as live. */
async function recreate(deps: KeeperDeps, tenantId: string, p: RenewPayload, log: Logger): Promise<void> {
  const now = deps.clock().toISOString();
  const old = await deps.mailboxes.subscription(p.subscriptionId);
  if (old?.status === 'active') await deps.mailboxes.updateSubscription(old.id, { status: 'removed', now });
  const mailbox = await deps.mailboxes.byId(tenantId, p.mailboxId);
  if (!mailbox?.active) return;
  await ensureSubscription({ ...deps, onSubscribed: (s) => scheduleRenewal(deps.queue, deps.clock, s) }, mailbox, log);
  // Mail that arrived while there was no subscription is only found by delta.
  await enqueueCatchup(deps.queue, tenantId, mailbox.id, 'recreated');
}
