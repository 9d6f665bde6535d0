import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './db.js';

export interface RetentionPolicy {
  /** Audit rows older than this many days go (AUDIT_RETENTION_DAYS, 400 by default). */
  auditDays: number;
  /** Finished jobs are kept this long to look back on a day's work; a failed job stays until handled. */
  doneJobsHours?: number;
  /**
   * Pacing rows (one per send to a Teams thread or NetSuite) older than this count in no window any more: Teams'
   * longest window is an hour, and the pacer looks back 1.05 h plus a margin.
   */
  pacingHours?: number;
  /** Rows per DELETE. Each batch is its own short transaction, so nothing waits long on a pass. */
  batchSize?: number;
}

export interface PruneCounts {
  jobs: number;
  rateSlots: number;
  audit: number;
  /** DELETE statements run, and the slowest one in ms (how long a batch held its locks). */
  batches: number;
  slowestBatchMs: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const DONE_JOBS_HOURS = 24;
export const PACING_HOURS = 2;
const BATCH = 500;

/**
 * One retention pass: deletes finished jobs, spent pacing rows and aged audit rows, in batches of `batchSize`
 * rows, giving the event loop a turn between batches so acknowledgements are not held up. Every replica may run
 * it at once: on PostgreSQL a batch skips rows another replica's batch has locked, and a row deleted twice is
 * simply not there the second time.
 */
export async function pruneExpired(db: Db, now: Date, policy: RetentionPolicy): Promise<PruneCounts> {
  const batchSize = policy.batchSize ?? BATCH;
  const t = now.getTime();
  const doneBefore = new Date(t - (policy.doneJobsHours ?? DONE_JOBS_HOURS) * HOUR_MS).toISOString();
  const pacingBefore = new Date(t - (policy.pacingHours ?? PACING_HOURS) * HOUR_MS).toISOString();
  const auditBefore = new Date(t - policy.auditDays * DAY_MS).toISOString();
  const nowIso = now.toISOString();
  const k = db.kysely;
  const pg = db.engine === 'postgres';
  const counts: PruneCounts = { jobs: 0, rateSlots: 0, audit: 0, batches: 0, slowestBatchMs: 0 };

  const drain = async (run: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const started = performance.now();
      const n = await run();
      counts.batches++;
      counts.slowestBatchMs = Math.max(counts.slowestBatchMs, performance.now() - started);
      total += n;
      if (n < batchSize) return total;
      await yieldToLoop();
    }
  };
  const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

  counts.jobs = await drain(async () => {
    let pick = k
      .selectFrom('jobs')
      .select('id')
      // A literal, not a parameter: it is what lets the planner use the partial index jobs_done_updated_ix.
      .where('status', '=', sql.lit('done'))
      .where('updated_at', '<', doneBefore)
      .limit(batchSize);
    if (pg) pick = pick.forUpdate().skipLocked();
    return deleted(await k.deleteFrom('jobs').where('id', 'in', pick).executeTakeFirst());
  });

  counts.rateSlots = await drain(async () => {
    let pick = k
      .selectFrom('rate_slots')
      .select('id')
      .where('at', '<', pacingBefore)
      // A NetSuite permit still within its lease is held by a running save, however old it is.
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .limit(batchSize);
    if (pg) pick = pick.forUpdate().skipLocked();
    return deleted(await k.deleteFrom('rate_slots').where('id', 'in', pick).executeTakeFirst());
  });

  counts.audit = await drain(async () => {
    let pick = k.selectFrom('audit_log').select('id').where('at', '<', auditBefore).limit(batchSize);
    if (pg) pick = pick.forUpdate().skipLocked();
    return deleted(await k.deleteFrom('audit_log').where('id', 'in', pick).executeTakeFirst());
  });
  return counts;
}

export interface RetentionDeps {
  db: Db;
  clock: () => Date;
  log: Logger;
  policy: RetentionPolicy;
  /** How often a pass runs (default 10 minutes); the first runs one interval after start. */
  everyMs?: number;
}

/** Runs pruneExpired on a timer until stopped. A failed pass is logged and the next one tries again. */
export function startRetention(deps: RetentionDeps): { stop(): void } {
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      pruneExpired(deps.db, deps.clock(), deps.policy)
        .then((c) => {
          if (c.jobs + c.rateSlots + c.audit > 0) deps.log.info(c, 'retention pass pruned old rows');
        })
        .catch((err: unknown) => deps.log.error({ err }, 'retention pass failed; the next one tries again'))
        .finally(() => {
          running = false;
        });
    },
    deps.everyMs ?? 10 * 60_000,
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
