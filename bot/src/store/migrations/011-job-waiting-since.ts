import type { Kysely } from 'kysely';

/**
 * When a job first waited for another job (a reply's card for its thread's first card, jobs/queue.ts `defer`):
 * such a wait spends none of the job's attempts, so this, not the attempt count, bounds it and sets how soon the
 * job looks again. Null for a job that never waited.
 *
 * Only a nullable column is added: a replica of the previous version, still running during a deploy, inserts and
 * updates jobs without naming it.
 */
export async function jobWaitingSince(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('waiting_since', 'text').execute();
}
