import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { createServer, listen } from '../../bot/src/http/server.js';
import { createLogger } from '../../bot/src/log.js';
import { createTabIssuer } from '../../bot/src/sandbox/tab-issuer.js';
import { type Engine, openDatabase } from '../../bot/src/store/db.js';
import { migrate } from '../../bot/src/store/migrate.js';
import type { Database } from '../../bot/src/store/schema.js';
import { StatementCache } from '../../bot/src/store/statement-cache.js';
import type { tabRoutes } from '../../bot/src/tab-api/routes.js';
import { createSsoVerifier } from '../../bot/src/tab-api/verify-sso.js';
import { createTestDb } from '../../test/helpers/db.js';
import { freePort } from '../../test/helpers/free-port.js';
import { TENANT } from './seed-associations.js';

export const IDENTITY = { oid: 'bench-user', tid: TENANT, name: 'Bench', upn: 'bench@contoso.com' };

export interface BenchDb {
  kind: Engine;
  label: string;
  db: Kysely<Database>;
  explain(q: CompiledQuery): Promise<string>;
  close(): Promise<void>;
}

export async function sqliteEngine(captured: { last?: CompiledQuery }): Promise<BenchDb> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-tab-'));
  const file = join(dir, 'tab.db');
  const migrated = openDatabase(`sqlite:${file}`);
  await migrate(migrated);
  await migrated.close();
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new StatementCache(raw) }),
    log: (e) => {
      captured.last = e.query;
    },
  });
  return {
    kind: 'sqlite',
    label: 'SQLite',
    db,
    explain: async (q) =>
      raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join('\n'),
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresEngine(url: string, captured: { last?: CompiledQuery }): Promise<BenchDb> {
  process.env.TEST_DATABASE_URL = url;
  const test = await createTestDb('postgres');
  const pool = new pg.Pool({ connectionString: test.url, max: 8 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      captured.last = e.query;
    },
  });
  return {
    kind: 'postgres',
    label: 'PostgreSQL',
    db,
    explain: async (q) => {
      const r = await pool.query(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
      return r.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    },
    close: async () => {
      await db.destroy();
      await test.drop();
    },
  };
}

/** The tab API mounted on Mailroom's own HTTP server, behind the real SSO verifier and a local issuer. */
export async function overHttp(routes: ReturnType<typeof tabRoutes>, path: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientId = '00000000-0000-4000-8000-00000000b0b0';
  const issuer = await createTabIssuer({ clientId, baseUrl: base, tenantId: TENANT });
  const verifier = createSsoVerifier({ clientId, tenantId: TENANT, openIdMetadataUrl: issuer.metadataUrl });
  const server = createServer({
    log: createLogger('silent'),
    processActivity: async () => undefined,
    graph: {
      notifications: async () => ({ accepted: 0, rejected: 0 }),
      lifecycle: async () => ({ accepted: 0, rejected: 0 }),
    },
    ready: async () => true,
    tab: {
      staticDir: undefined,
      verify: (header) => verifier.verify(header ?? ''),
      routes,
      publicRoutes: issuer.handlers,
    },
  });
  await listen(server, port, '127.0.0.1');
  const token = await issuer.issue({ ...IDENTITY });
  return {
    get: async (query: Record<string, unknown>) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (typeof v === 'string') qs.set(k, v);
      const res = await fetch(`${base}${path}?${qs}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What autovacuum does on a PostgreSQL server after a bulk load (PostgreSQL 13+ vacuums a table after enough inserts,
 * not only after updates): statistics for the planner, the visibility map, and the GIN indexes' pending lists merged
 * into the indexes. This bench server runs with autovacuum off, and the seed inserts from four connections at once,
 * so without this a search read whatever part of the trigram index's pending list the last inserts left (up to
 * gin_pending_list_limit, 4 MB), a different amount each run.
 * https://www.postgresql.org/docs/current/routine-vacuuming.html#AUTOVACUUM
 * https://www.postgresql.org/docs/current/gin.html#GIN-FAST-UPDATE
 */
export async function analyze(db: Kysely<Database>): Promise<void> {
  await sql`vacuum (analyze)`.execute(db);
}
