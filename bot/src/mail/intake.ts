import type { Logger } from 'pino';
import { JobKind } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Db } from '../store/db.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import { type LookupSubscription, sortLifecycleNotifications, sortNotifications } from './notifications.js';

export interface IntakeDeps {
  db: Db;
  queue: JobQueue;
  mailboxes: MailboxRepo;
  clock: () => Date;
  /** What to do with an accepted lifecycle event (issue 5: reauthorize, re-create, catch up). */
  onLifecycle?: (event: {
    subscriptionId: string;
    tenantId: string;
    mailboxId: string;
    lifecycleEvent: string;
  }) => Promise<void>;
}

function lookup(mailboxes: MailboxRepo): LookupSubscription {
  return async (id) => {
    const sub = await mailboxes.subscription(id);
    return sub && sub.status === 'active'
      ? { tenantId: sub.tenantId, mailboxId: sub.mailboxId, clientState: sub.clientState }
      : null;
  };
}

/**
 * Checks each change notification against its subscription's clientState and stores the good ones as ingest jobs,
 * all in one transaction, before Graph gets its 202. Unknown subscriptions and wrong secrets are dropped with a
 * log line: answering them with an error would only make Graph retry them.
 */
export async function acceptNotifications(deps: IntakeDeps, body: unknown, log: Logger) {
  const { accepted, rejected } = await sortNotifications(body, lookup(deps.mailboxes));
  for (const r of rejected) log.warn({ subscriptionId: r.subscriptionId, reason: r.reason }, 'notification dropped');
  if (accepted.length > 0) {
    const now = deps.clock().toISOString();
    await deps.db.kysely.transaction().execute(async (trx) => {
      for (const n of accepted) {
        await deps.queue.enqueue(
          {
            tenantId: n.tenantId,
            kind: JobKind.ingest,
            payload: { mailboxId: n.mailboxId, messageId: n.messageId, subscriptionId: n.subscriptionId },
            dedupeKey: `${JobKind.ingest}:${n.mailboxId}:${n.messageId}`,
          },
          trx,
        );
      }
      const mailboxes = new Map(accepted.map((n) => [`${n.tenantId}/${n.mailboxId}`, n]));
      for (const n of mailboxes.values()) await deps.mailboxes.touchNotification(n.tenantId, n.mailboxId, now, trx);
    });
  }
  return { accepted: accepted.length, rejected: rejected.length };
}

/** Lifecycle events: checked the same way, then handed to the subscription keeper. */
export async function acceptLifecycle(deps: IntakeDeps, body: unknown, log: Logger) {
  const { accepted, rejected } = await sortLifecycleNotifications(body, lookup(deps.mailboxes));
  for (const r of rejected) log.warn({ subscriptionId: r.subscriptionId, reason: r.reason }, 'lifecycle event dropped');
  for (const e of accepted) {
    log.info({ subscriptionId: e.subscriptionId, event: e.lifecycleEvent }, 'lifecycle event');
    if (deps.onLifecycle) await deps.onLifecycle(e);
  }
  return { accepted: accepted.length, rejected: rejected.length };
}
