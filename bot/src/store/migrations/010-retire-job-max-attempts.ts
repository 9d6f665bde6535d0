import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

/**
 * How often a job is tried is its kind's retry policy, read from the registry at each failure (jobs/registry.ts);
 * the per-row copy in jobs.max_attempts was written and never read, so two numbers could disagree. Mailroom no
 * longer writes it.
 *
 * PostgreSQL: replicas share the database, and during a deploy a replica of the previous version still inserts
 * jobs with max_attempts while this version inserts them without. So the column only stops being required here
 * (both versions' inserts succeed); a later version drops it once no running replica writes it.
 *
 * SQLite: one process owns the file, so no older version writes meanwhile and the column goes now. SQLite drops a
 * column since 3.35 when no index, trigger or view names it (none names this one).
 */
export async function retireJobMaxAttempts(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await db.schema
      .alterTable('jobs')
      .alterColumn('max_attempts', (c) => c.dropNotNull())
      .execute();
    return;
  }
  await db.schema.alterTable('jobs').dropColumn('max_attempts').execute();
}
