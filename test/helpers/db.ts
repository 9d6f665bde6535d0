import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, type Engine, openDatabase } from '../../bot/src/store/db.js';
import { migrate } from '../../bot/src/store/migrate.js';

/** The engines the database tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDb extends Db {
  /** The URL another process (a child server) can open to reach this same database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database. On PostgreSQL each one is its own schema, so test files can run side by side
 * on one server without seeing each other's rows.
 */
export async function createTestDb(engine: Engine, opts: { file?: string; migrateTo?: string } = {}): Promise<TestDb> {
  const to = opts.migrateTo ? { to: opts.migrateTo } : {};
  if (engine === 'sqlite') {
    const url = `sqlite:${opts.file ?? ':memory:'}`;
    const db = openDatabase(url);
    await migrate(db, to);
    return { ...db, url, drop: () => db.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const sep = base.includes('?') ? '&' : '?';
  const url = `${base}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = openDatabase(url);
  await migrateBesideOthers(db, to);
  return {
    ...db,
    url,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * migrate(), for a database that shares its PostgreSQL server with other test files. Kysely's migrator looks for
 * its tables by introspecting every schema of the database; another test file dropping its schema, or migrating a
 * column of its own away (010 drops jobs.max_attempts on SQLite), at that moment makes the introspection fail ("schema t_…
 * does not exist", "column … does not exist"). That race belongs to tests sharing one server, so it is retried
 * here, not in Mailroom.
 */
export async function migrateBesideOthers(db: Db, to: { to?: string } = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, to);
      return;
    } catch (err) {
      if (attempt >= 4 || !/does not exist/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
