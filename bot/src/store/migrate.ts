import { Migrator, sql } from 'kysely';
import type { Db } from './db.js';
import { migrations } from './migrations/index.js';

/** Brings the schema up to date (or, for the upgrade tests, to migration `to`); runs at startup. */
export async function migrate(db: Db, opts: { to?: string } = {}): Promise<void> {
  // On PostgreSQL, Kysely looks for its own bookkeeping tables in every schema on the path; pin them to ours,
  // so databases that live side by side in one server (tests, staging) never share them.
  const schema =
    db.engine === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations(db.engine) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await (opts.to ? migrator.migrateTo(opts.to) : migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
