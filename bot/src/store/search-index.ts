import { type Kysely, sql } from 'kysely';
import type { Logger } from '../log.js';
import type { Db } from './db.js';
import { trigramOps } from './trigram-ops.js';

/**
 * PostgreSQL only: the Dashboard search's trigram index, when migration 003 could not create it (no pg_trgm then).
 * Once a database admin has added the extension, the next start builds the index without blocking writes.
 */
export async function ensureSearchIndex(db: Db, log: Logger): Promise<void> {
  if (db.engine !== 'postgres') return;
  const found = await sql<{ valid: boolean }>`select i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relname = 'associations_search_ix'`.execute(db.kysely);
  const state = found.rows[0];
  if (state?.valid) return;
  // A concurrent build cut off half way leaves an invalid index behind; it is dropped and built again.
  if (state) await sql`drop index if exists associations_search_ix`.execute(db.kysely);
  const ops = await trigramOps(db.kysely as Kysely<unknown>);
  if (!ops) {
    log.warn(
      { remedy: 'A database admin runs: CREATE EXTENSION pg_trgm; then restart Mailroom, which adds the index.' },
      'Dashboard search has no trigram index (the pg_trgm extension is missing): searches read every saved email',
    );
    return;
  }
  log.info('building the Dashboard search index (associations_search_ix) in the background');
  sql
    .raw(
      `create index concurrently if not exists associations_search_ix on associations using gin (search_text ${ops})`,
    )
    .execute(db.kysely)
    .then(() => log.info('Dashboard search index built'))
    .catch((err: unknown) => log.warn({ err }, 'Dashboard search index not built; searches read every saved email'));
}

/** Under this many saves the plans the search's statistics choose between differ by milliseconds. */
const STATISTICS_WORTH_IT = 10_000;

/**
 * PostgreSQL only: the search text's statistics gathered again, in the background, once after migration 014
 * raised their sample (see there) on a database that already held saves. Autovacuum would otherwise keep the
 * small histogram until a tenth of the table has changed, months for a large tenant. ANALYZE blocks neither
 * reads nor writes.
 */
export async function ensureSearchStatistics(db: Db, log: Logger): Promise<void> {
  if (db.engine !== 'postgres') return;
  const r = await sql<{ saves: number; stale: boolean }>`select greatest(c.reltuples, 0)::float8 as saves,
      coalesce(greatest(s.last_analyze, s.last_autoanalyze) < m.timestamp::timestamptz, true) as stale
      from pg_class c
      left join pg_stat_user_tables s on s.relid = c.oid
      join kysely_migration m on m.name = '014_search_text_statistics'
      where c.oid = 'associations'::regclass`.execute(db.kysely);
  const state = r.rows[0];
  if (!state?.stale || state.saves < STATISTICS_WORTH_IT) return;
  log.info(
    { saves: Math.round(state.saves) },
    'gathering the Dashboard search statistics again (ANALYZE) in the background',
  );
  sql`analyze associations (search_text)`
    .execute(db.kysely)
    .then(() => log.info('Dashboard search statistics gathered'))
    .catch((err: unknown) => log.warn({ err }, 'Dashboard search statistics not gathered; autovacuum will later'));
}
