import type { Kysely } from 'kysely';
import { EMAIL_JOB_KINDS } from '../core/job-kinds.js';
import type { Engine } from '../store/db.js';
import { jsonField } from '../store/json-field.js';
import type { Database } from '../store/schema.js';

/** A mailbox's email jobs (card.post, card.update, …) that failed for good recently. */
export interface FailedEmailJobs {
  /** Failures from here on count. */
  since: string;
  count: number;
  /** How many of them per job kind (`card.post`: 3). */
  byKind: Record<string, number>;
  /** The latest failure: when, which kind, and its code (error-catalogue.ts). */
  newest: { at: string; kind: string; errorCode: string | null } | null;
}

/**
 * The look-back. A job that failed for good stays in the table until a person handles it (store/retention.ts), so
 * without a window a problem fixed last month would show for ever; a day is what the jobs table keeps of finished
 * work too, long enough for an admin who looks once a day to see every failure, and short enough that a mailbox
 * whose channel was fixed looks healthy again by the next day.
 */
export const FAILED_JOBS_WINDOW_MS = 24 * 3_600_000;

/**
 * Each listed mailbox's failed email jobs of the last day. A job's payload names only its email, so the mailbox is
 * the email's, and both the job and the email must be the tenant's: a job can never count against another
 * tenant's mailbox, whatever email id its payload names.
 *
 * The window is read on `run_at`, when the job's last attempt was due, not on `updated_at`: the jobs index
 * (status, kind, run_at) then finds exactly the failed email jobs of the day, however many older failures and
 * finished jobs the table holds. A failure follows its last due time by one run (seconds), so the two agree but at
 * the window's edge.
 */
export async function failedEmailJobs(
  db: Kysely<Database>,
  engine: Engine,
  tenantId: string,
  mailboxIds: string[],
  now: Date,
): Promise<(mailboxId: string) => FailedEmailJobs> {
  const since = failedSince(now);
  const out = new Map<string, FailedEmailJobs>();
  const of = (id: string) => out.get(id) ?? { since, count: 0, byKind: {}, newest: null };
  if (mailboxIds.length === 0) return of;
  const rows = await failedEmailJobsQuery(db, engine, tenantId, mailboxIds, now)
    .select(['e.mailbox_id', 'j.kind', 'j.last_error_code'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('j.updated_at').as('newest')])
    .groupBy(['e.mailbox_id', 'j.kind', 'j.last_error_code'])
    .execute();
  for (const r of rows) {
    const f = of(r.mailbox_id);
    out.set(r.mailbox_id, f);
    const n = Number(r.n);
    f.count += n;
    f.byKind[r.kind] = (f.byKind[r.kind] ?? 0) + n;
    if (!f.newest || r.newest > f.newest.at) f.newest = { at: r.newest, kind: r.kind, errorCode: r.last_error_code };
  }
  return of;
}

/** Where the window starts. */
const failedSince = (now: Date) => new Date(now.getTime() - FAILED_JOBS_WINDOW_MS).toISOString();

/**
 * The failed email jobs `failedEmailJobs` counts, as a query to select from: the Dashboard's count and its Try
 * again (retry-failed-jobs.ts) read the same rows. `mailboxIds` must not be empty.
 */
export function failedEmailJobsQuery(
  db: Kysely<Database>,
  engine: Engine,
  tenantId: string,
  mailboxIds: readonly string[],
  now: Date,
) {
  const emailId = jsonField(engine, 'j.payload', 'emailId');
  return db
    .selectFrom('jobs as j')
    .innerJoin('emails as e', (join) => join.on('e.id', '=', emailId).onRef('e.tenant_id', '=', 'j.tenant_id'))
    .where('j.status', '=', 'failed')
    .where('j.kind', 'in', EMAIL_JOB_KINDS)
    .where('j.run_at', '>=', failedSince(now))
    .where('j.tenant_id', '=', tenantId)
    .where('e.mailbox_id', 'in', mailboxIds);
}
