import type { Kysely } from 'kysely';

/**
 * The lease (jobs/queue.ts) picks each kind's oldest due jobs: with this index that is an ordered read of a few
 * entries per kind, where jobs_due_ix (status, run_at) made it sort the whole backlog at every lease. Only an
 * index is added, so a replica of the previous version keeps working beside this one during a rolling deploy.
 */
export async function jobsKindDueIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_kind_due_ix').on('jobs').columns(['status', 'kind', 'run_at']).execute();
}
