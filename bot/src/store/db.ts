import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { MailroomError } from '../core/errors.js';
import type { Database } from './schema.js';
import { StatementCache } from './statement-cache.js';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT come back from pg as strings; Mailroom's counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** How a connection differs from the server's own (the notification intake opens one of its own: intake-db.ts). */
export interface OpenOptions {
  /** PostgreSQL: connections in the pool (10). */
  poolMax?: number;
  /** PostgreSQL: let the process exit while the pool's connections sit idle. */
  allowExitOnIdle?: boolean;
  /** SQLite: how long a write waits for another connection's lock before SQLITE_BUSY (5,000 ms). */
  busyTimeoutMs?: number;
  /** SQLite: whether this connection runs WAL checkpoints when its commits cross the threshold (yes). */
  autoCheckpoint?: boolean;
}

/** Opens `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`. */
export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolMax ?? 10,
      ...(opts.allowExitOnIdle ? { allowExitOnIdle: true } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, engine: 'postgres', close: () => kysely.destroy() };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const file = path === ':memory:' ? ':memory:' : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than every commit: a killed process loses nothing, and a power
    // cut can lose only the last commits, which delta catch-up finds again. It roughly doubles the write rate.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5_000))}`);
    if (opts.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.pragma('foreign_keys = ON');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: new StatementCache(sqlite) }) });
    return { kysely, engine: 'sqlite', close: () => kysely.destroy() };
  }
  throw new MailroomError(
    'config_invalid',
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`,
    {
      remedy: 'Set DATABASE_URL to sqlite:<file> or postgres://user@host:5432/db (docs/admin.md).',
    },
  );
}
