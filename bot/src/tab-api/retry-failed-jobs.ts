import type { Kysely } from 'kysely';
import { RERUNNABLE_EMAIL_JOB_KINDS } from '../core/job-kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Engine } from '../store/db.js';
import { AuditRepo } from '../store/repos/audit.js';
import type { Database } from '../store/schema.js';
import { failedEmailJobsQuery } from './failed-email-jobs.js';
import type { TabActor } from './identity.js';

export interface RetryFailedDeps {
  db: Kysely<Database>;
  engine: Engine;
  queue: Pick<JobQueue, 'requeueFailed'>;
}

/**
 * The Dashboard's Try again on a mailbox's failed email jobs: the ones its health counts (same window, same
 * tenant-and-email join), of the kinds a second run cannot duplicate, queued afresh through the job queue. The
 * audit row commits with them, and only when something was queued. Returns how many; the caller has checked that
 * the actor is an admin of the mailbox.
 */
export async function retryFailedEmailJobs(
  deps: RetryFailedDeps,
  tenantId: string,
  mailbox: { id: string; address: string },
  actor: TabActor,
  now: Date,
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const ids = failedEmailJobsQuery(trx, deps.engine, tenantId, [mailbox.id], now)
      .where('j.kind', 'in', RERUNNABLE_EMAIL_JOB_KINDS)
      .select('j.id');
    const queued = await deps.queue.requeueFailed(tenantId, ids, trx);
    if (queued > 0) {
      const audit = new AuditRepo({ kysely: trx, engine: deps.engine, close: async () => undefined }, () => now);
      await audit.record({
        tenantId,
        actor,
        action: 'retry_jobs',
        subject: mailbox.address,
        detail: { mailboxId: mailbox.id, queued },
      });
    }
    return queued;
  });
}
