import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../bot/src/log.js';
import { SEARCH_TEXT_STATISTICS } from '../../../bot/src/store/migrations/014-search-text-statistics.js';
import { ensureSearchIndex, ensureSearchStatistics } from '../../../bot/src/store/search-index.js';
import { associationsQuery, listAssociations } from '../../../bot/src/tab-api/list-associations.js';
import { createTestDb, migrateBesideOthers, type TestDb, testEngines } from '../../helpers/db.js';
import { insertAssociation, insertEmail, insertMailbox, T1, WHOLE_TENANT } from '../../integration/tab-api/seed.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe.runIf(onPostgres)('the Dashboard search index on PostgreSQL', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb('postgres');
  });
  afterEach(async () => db.drop());

  const index = async () =>
    (
      await sql<{ valid: boolean; def: string }>`select i.indisvalid as valid, pg_get_indexdef(c.oid) as def
        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relname = 'associations_search_ix'`.execute(db.kysely)
    ).rows[0];

  it('is created by the migration as a trigram GIN index on search_text', async () => {
    expect(await index()).toMatchObject({
      valid: true,
      def: expect.stringMatching(/gin \(search_text .*gin_trgm_ops\)/),
    });
  });

  it('is built again at startup when it is missing, and left alone when it is there', async () => {
    await sql`drop index associations_search_ix`.execute(db.kysely);
    const log = createLogger('silent');
    const info = vi.spyOn(log, 'info');
    await ensureSearchIndex(db, log);
    await vi.waitFor(async () => expect((await index())?.valid).toBe(true), { timeout: 10_000 });
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/building the Dashboard search index/));
    // The build's own "built" line can follow the index turning valid; it belongs to the first start, not the second.
    await vi.waitFor(() => expect(info).toHaveBeenCalledWith('Dashboard search index built'), { timeout: 10_000 });

    info.mockClear();
    await ensureSearchIndex(db, log);
    expect(info).not.toHaveBeenCalled();
  });
});

describe.runIf(onPostgres)('the search text statistics on PostgreSQL (014)', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb('postgres');
  });
  afterEach(async () => db.drop());

  /**
   * `n` saves whose search text is "ref <i>", in the order of i, and "alpha" in 2 % of them, "bravo" in 1 %, placed
   * by a hash of i (a pattern in step with the histogram's spacing would decide the test instead).
   */
  const seed = async (n: number) => {
    await sql`insert into associations (id, tenant_id, email_id, internet_message_id, record_type, record_id,
        record_name, saved_by_id, saved_by_name, mode, status, external_id, created_at, updated_at)
      select 'a' || i, ${T1}, 'e' || i, '<e' || i || '@mail.example>', 'customer', i::text,
        'Ref ' || lpad(i::text, 6, '0')
          || case when (hashint4(i) & 65535) % 100 < 2 then ' Alpha' else '' end
          || case when ((hashint4(i) >> 16) & 65535) % 100 < 1 then ' Bravo' else '' end,
        'u1', 'Adele', 'one-time', 'saved', 'mr-' || i, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z'
      from generate_series(1, ${n}) as i`.execute(db.kysely);
  };
  const matching = async (word: string) =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from associations where search_text like ${`%${word}%`}`.execute(
          db.kysely,
        )
      ).rows[0]?.n,
    );
  const estimate = async (word: string) => {
    const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from associations
        where search_text like ${`%${word}%`}`.execute(db.kysely);
    return Number(/rows=(\d+)/.exec(plan.rows[0]?.['QUERY PLAN'] ?? '')?.[1]);
  };
  const histogram = async () =>
    (
      await sql<{ entries: number | null }>`select cardinality(histogram_bounds::text::text[]) as entries from pg_stats
        where schemaname = current_schema() and tablename = 'associations' and attname = 'search_text'`.execute(
        db.kysely,
      )
    ).rows[0]?.entries ?? null;

  /** As if migration 014 ran just now, on statistics gathered before it. */
  const migratedNow = async () => {
    await new Promise((r) => setTimeout(r, 20));
    await sql`update kysely_migration set timestamp = clock_timestamp()::text
        where name = '014_search_text_statistics'`.execute(db.kysely);
  };

  it('samples the search text at 1,000 histogram entries, and estimates a word in 1 or 2 % of the saves', async () => {
    // With PostgreSQL's default of 100 entries, a word in 2 % of the saves is in none of them about one ANALYZE in
    // seven, and is then planned as matching 0.01 %; one in 1 %, about one in three.
    const target = await sql<{ target: number }>`select attstattarget as target from pg_attribute
        where attrelid = 'associations'::regclass and attname = 'search_text'`.execute(db.kysely);
    expect(target.rows[0]?.target).toBe(SEARCH_TEXT_STATISTICS);
    await seed(20_000);
    await sql`analyze associations`.execute(db.kysely);
    expect(await histogram()).toBe(SEARCH_TEXT_STATISTICS + 1);
    for (const word of ['alpha', 'bravo']) {
      const matches = await matching(word);
      const rows = await estimate(word);
      expect({ word, rows, ok: rows >= matches / 2 && rows <= matches * 2 }).toMatchObject({ ok: true });
    }
  });

  it('is gathered again in the background at start, once, when the saves were analyzed before 014', async () => {
    await seed(12_000);
    // Statistics of the default size, gathered before the migration ran.
    await sql`alter table associations alter column search_text set statistics -1`.execute(db.kysely);
    await sql`analyze associations`.execute(db.kysely);
    await sql`alter table associations alter column search_text set statistics ${sql.lit(SEARCH_TEXT_STATISTICS)}`.execute(
      db.kysely,
    );
    await migratedNow();
    expect(await histogram()).toBeLessThanOrEqual(101);

    const log = createLogger('silent');
    const info = vi.spyOn(log, 'info');
    await ensureSearchStatistics(db, log);
    await vi.waitFor(() => expect(info).toHaveBeenCalledWith('Dashboard search statistics gathered'), {
      timeout: 20_000,
    });
    expect(await histogram()).toBe(SEARCH_TEXT_STATISTICS + 1);

    info.mockClear();
    await ensureSearchStatistics(db, log);
    expect(info).not.toHaveBeenCalled();
  });

  it('leaves a small table to autovacuum', async () => {
    await seed(500);
    await sql`analyze associations`.execute(db.kysely);
    await migratedNow();
    const log = createLogger('silent');
    const info = vi.spyOn(log, 'info');
    await ensureSearchStatistics(db, log);
    expect(info).not.toHaveBeenCalled();
  });
});

describe.each(testEngines())('migration 003 on %s', (engine) => {
  let db: TestDb;
  afterEach(async () => db.drop());

  it('makes the saves made before it searchable, and keeps later ones searchable too', async () => {
    db = await createTestDb(engine, { migrateTo: '002_email_suggestions' });
    const at = '2026-11-20T10:00:00.000Z';
    await insertMailbox(db.kysely, T1, 'mb-support', 'support@contoso.com', at);
    const email = { tenant: T1, mailbox: 'mb-support', fromName: 'Ana Bell', fromAddress: 'ana@fabrikam.com', at };
    await insertEmail(db.kysely, { ...email, id: 'e1', subject: 'Invoice 4417 is wrong' });
    await insertAssociation(db.kysely, { id: 'a1', tenant_id: T1, email_id: 'e1', created_at: at });
    await migrateBesideOthers(db);
    await insertEmail(db.kysely, { ...email, id: 'e2', subject: 'Invoice 4418 is late' });
    await insertAssociation(db.kysely, { id: 'a2', tenant_id: T1, email_id: 'e2', created_at: at, record_id: '102' });

    const search = async (q: string) =>
      (
        await listAssociations(db.kysely, db.engine, T1, associationsQuery.parse({ q }), () => '', WHOLE_TENANT)
      ).items.map((r) => r.id);
    expect(await search('4417')).toEqual(['a1']);
    expect(await search('late invoice')).toEqual(['a2']);
    expect(await search('ana fabrikam inc')).toEqual(['a2', 'a1']);
  });
});

describe.runIf(onPostgres)('the short-word index on PostgreSQL (009)', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb('postgres');
  });
  afterEach(async () => db.drop());

  it('holds every character and every pair without whitespace of the search text', async () => {
    const texts = ['', 'a', 'ab', 'abc', 'Zq 50%_x\\y', 'é\nça\tØ  🎉x', 'line one\r\nline\vtwo\fend '];
    for (const text of texts) {
      const r = await sql<{ grams: string[] }>`select mailroom_search_grams(${text}) as grams`.execute(db.kysely);
      const grams = new Set(r.rows[0]?.grams);
      const chars = [...text];
      const wanted = chars.flatMap((c, i) => [c, c + (chars[i + 1] ?? '')]).filter((g) => g.length > 0);
      for (const g of wanted.filter((w) => !/\s/.test(w)))
        expect({ text, g, found: grams.has(g) }).toMatchObject({ found: true });
    }
  });

  it('answers a word under three characters that matches nothing from the index, not by reading every save', async () => {
    const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from associations
        where mailroom_search_grams(search_text) @> array['zq']::text[]`.execute(db.kysely);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/associations_grams_ix/);
  });
});
