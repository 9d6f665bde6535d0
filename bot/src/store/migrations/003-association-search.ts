import { type Kysely, sql } from 'kysely';
import type { Engine } from '../db.js';
import { trigramOps } from '../trigram-ops.js';

/**
 * The Dashboard searches saves by subject, sender and record name. The text lives beside the association, kept by
 * the database itself (so every writer keeps it), under an index that serves '%term%': a trigram GIN index on
 * PostgreSQL, an FTS5 table with the trigram tokenizer on SQLite.
 */
export async function associationSearch(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await (engine === 'postgres' ? postgresSearch(db) : sqliteSearch(db));
}

/** What the Dashboard's text search reads for one association: subject, sender name and address, record name. */
const SQLITE_SEARCH_TEXT = (a: string) =>
  `coalesce((select e.subject || char(10) || e.from_name || char(10) || e.from_address from emails e where e.id = ${a}.email_id), '') || char(10) || ${a}.record_name`;

async function sqliteSearch(db: Kysely<unknown>): Promise<void> {
  // Its own rowid and the association id as an unindexed column: an association's implicit rowid may change
  // under VACUUM, its id never does. FTS5 folds case itself, so the text is stored as written.
  await sql`create virtual table associations_fts using fts5(search_text, association_id unindexed, tokenize = 'trigram')`.execute(
    db,
  );
  await sql
    .raw(
      `insert into associations_fts (search_text, association_id) select ${SQLITE_SEARCH_TEXT('a')}, a.id from associations a`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger associations_fts_insert after insert on associations begin
         insert into associations_fts (search_text, association_id) values (${SQLITE_SEARCH_TEXT('new')}, new.id);
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger associations_fts_update after update of record_name, email_id on associations begin
         update associations_fts set search_text = ${SQLITE_SEARCH_TEXT('new')} where association_id = old.id;
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger associations_fts_delete after delete on associations begin
         delete from associations_fts where association_id = old.id;
       end`,
    )
    .execute(db);
}

async function postgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql`alter table associations add column search_text text not null default ''`.execute(db);
  await sql
    .raw(
      `create function associations_search_text() returns trigger language plpgsql set search_path from current as $fn$
       begin
         new.search_text := lower(concat_ws(E'\n',
           (select concat_ws(E'\n', e.subject, e.from_name, e.from_address) from emails e where e.id = new.email_id),
           new.record_name));
         return new;
       end $fn$`,
    )
    .execute(db);
  await sql`create trigger associations_search_text before insert or update of record_name, email_id on associations
            for each row execute function associations_search_text()`.execute(db);
  await sql`update associations a set search_text = lower(concat_ws(E'\n', e.subject, e.from_name, e.from_address, a.record_name))
            from emails e where e.id = a.email_id`.execute(db);
  // pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may create it). It goes to the
  // public schema when there is one, never to Mailroom's own (dropping that must not drop an extension others
  // use). Where it cannot be created, search still works by scanning, and startup says how to add the index.
  await sql
    .raw(
      `do $do$
       begin
         if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
           begin
             if exists (select 1 from pg_namespace where nspname = 'public') then
               create extension pg_trgm schema public;
             else
               create extension pg_trgm;
             end if;
           exception when others then
             raise notice 'pg_trgm not created (%): the Dashboard search will scan', sqlerrm;
           end;
         end if;
       end $do$`,
    )
    .execute(db);
  const ops = await trigramOps(db);
  if (ops) {
    await sql.raw(`create index associations_search_ix on associations using gin (search_text ${ops})`).execute(db);
  }
}
