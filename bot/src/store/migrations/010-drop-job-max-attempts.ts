import type { Kysely } from 'kysely';

export async function dropJobMaxAttempts(db: Kysely<unknown>): Promise<void> {
  // How often a job is tried is its kind's retry policy, read from the registry at each failure
  // (jobs/registry.ts); the per-row copy was written and never read, so two numbers could disagree. SQLite drops a
  // column since 3.35 when no index, trigger or view names it (none names this one); PostgreSQL always can.
  await db.schema.alterTable('jobs').dropColumn('max_attempts').execute();
}
