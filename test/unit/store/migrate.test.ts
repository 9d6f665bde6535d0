import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db, Engine } from '../../../bot/src/store/db.js';
import { migrations } from '../../../bot/src/store/migrations/index.js';
import { createTestDb, migrateBesideOthers, type TestDb, testEngines } from '../../helpers/db.js';

/** What a database looks like: each table's columns (name, type, nullability), its indexes, triggers and functions. */
async function shape(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (db.engine === 'sqlite') {
    const tables = await db.kysely.introspection.getTables();
    for (const t of tables.sort((a, b) => a.name.localeCompare(b.name))) {
      out[t.name] = t.columns.map((c) => `${c.name} ${c.dataType}${c.isNullable ? '' : ' not null'}`).sort();
    }
  } else {
    // Kysely's introspection reads every schema of the server, and other test files drop theirs meanwhile:
    // read only this database's own schema.
    const columns = await sql<{ t: string; c: string }>`select table_name as t,
        column_name || ' ' || udt_name || case when is_nullable = 'NO' then ' not null' else '' end as c
        from information_schema.columns where table_schema = current_schema()`.execute(db.kysely);
    const byTable = new Map<string, string[]>();
    for (const { t, c } of columns.rows) byTable.set(t, [...(byTable.get(t) ?? []), c]);
    for (const [t, cols] of byTable) out[t] = cols.sort();
  }
  // Indexes and triggers by name; triggers and functions by their text too, since a version may only rewrite one;
  // on PostgreSQL, columns sampled at a statistics target of their own.
  const indexes =
    db.engine === 'sqlite'
      ? await sql<{ name: string }>`select name || ' ' || coalesce(sql, '') as name from sqlite_master
          where type in ('index', 'trigger') and name not like 'sqlite_%'`.execute(db.kysely)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()
          union select tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
          join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and not t.tgisinternal
          union select proname || ' ' || prosrc as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = current_schema()
          union select c.relname || '.' || a.attname || ' statistics ' || a.attstattarget as name from pg_attribute a
          join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = current_schema() and a.attstattarget > 0`.execute(db.kysely);
  out['(indexes, triggers, functions)'] = indexes.rows.map((r) => r.name).sort();
  return out;
}

/**
 * Versions that change nothing on an engine: 009 indexes PostgreSQL's short-word search, which SQLite does without;
 * 014 sets a PostgreSQL statistics target.
 */
const OTHER_ENGINE_ONLY: Record<Engine, string[]> = {
  sqlite: ['009_short_word_search', '014_search_text_statistics'],
  postgres: [],
};

describe.each(testEngines())('migrations on %s', (engine) => {
  const versions = Object.keys(migrations(engine));
  const opened: TestDb[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.drop();
  });
  const open = async (migrateTo?: string) => {
    const db = await createTestDb(engine, migrateTo ? { migrateTo } : {});
    opened.push(db);
    return db;
  };

  it('keeps its version names, oldest first, each one a file of its own', () => {
    expect(versions[0]).toBe('001_initial');
    expect(versions.map((v) => Number(v.slice(0, 3)))).toEqual(versions.map((_, i) => i + 1));
  });

  it('brings a database of any earlier version to the same schema as an empty one', async () => {
    const fromEmpty = await shape(await open());
    expect(Object.keys(fromEmpty)).toContain('associations');
    for (const earlier of versions.slice(0, -1)) {
      const db = await open(earlier);
      const before = await shape(db);
      await migrateBesideOthers(db);
      expect(await shape(db), `from ${earlier}`).toEqual(fromEmpty);
      // Each version changed something: the earlier schema was not already the latest, unless every later
      // version concerns only the other engine.
      const later = versions.slice(versions.indexOf(earlier) + 1);
      if (later.every((v) => OTHER_ENGINE_ONLY[engine].includes(v))) expect(before).toEqual(fromEmpty);
      else expect(before).not.toEqual(fromEmpty);
    }
  });

  it('keeps the rows of the previous version, and running it again changes nothing', async () => {
    const previous = versions[versions.length - 2] ?? '';
    const db = await open(previous);
    const at = '2026-12-01T10:00:00.000Z';
    await db.kysely
      .insertInto('claims')
      .values({ tenant_id: 't1', email_id: 'e1', user_id: 'u1', user_name: 'Megan Bowen', claimed_at: at } as never)
      .execute();
    await migrateBesideOthers(db);
    await migrateBesideOthers(db);
    const claims = await db.kysely.selectFrom('claims').selectAll().execute();
    expect(claims).toEqual([expect.objectContaining({ tenant_id: 't1', email_id: 'e1', user_name: 'Megan Bowen' })]);
    expect(await shape(db)).toEqual(await shape(await open()));
  });

  it('retires jobs.max_attempts (010) and keeps the waiting jobs', async () => {
    const db = await open('009_short_word_search');
    const at = '2026-12-01T10:00:00.000Z';
    const job = {
      id: 'j1',
      tenant_id: 't1',
      kind: 'card.post',
      payload: '{}',
      dedupe_key: 'card:e1',
      status: 'queued',
    };
    await db.kysely
      .insertInto('jobs')
      .values({ ...job, attempts: 2, max_attempts: 12, run_at: at, created_at: at, updated_at: at } as never)
      .execute();
    await migrateBesideOthers(db);
    // This version's insert, which no longer names the column, succeeds on both engines.
    const fresh = { ...job, id: 'j2', dedupe_key: 'card:e2', attempts: 0, run_at: at, created_at: at, updated_at: at };
    await db.kysely
      .insertInto('jobs')
      .values(fresh as never)
      .execute();
    if (engine === 'postgres') {
      // A replica of the previous version, still running during a deploy, keeps inserting with the column.
      await db.kysely
        .insertInto('jobs')
        .values({ ...fresh, id: 'j3', dedupe_key: 'card:e3', max_attempts: 12 } as never)
        .execute();
    }
    const rows = await db.kysely.selectFrom('jobs').selectAll().orderBy('id').execute();
    expect(rows[0]).toEqual(expect.objectContaining({ ...job, attempts: 2, run_at: at, lease_until: null }));
    expect(rows.map((r) => r.id)).toEqual(engine === 'postgres' ? ['j1', 'j2', 'j3'] : ['j1', 'j2']);
    if (engine === 'sqlite') expect(rows[0]).not.toHaveProperty('max_attempts');
    else expect(rows.map((r) => (r as Record<string, unknown>).max_attempts)).toEqual([12, null, 12]);
  });
});
