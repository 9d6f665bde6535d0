import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Logger } from '../log.js';
import type { Db, Engine } from './db.js';

/** Migrations live in code (not files on disk) so a bundled or compiled build carries them. */
function migrations(engine: Engine): Record<string, Migration> {
  return {
    '001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('conversations')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('team_id', 'text')
          .addColumn('channel_id', 'text')
          .addColumn('name', 'text')
          .addColumn('reference', 'text', (c) => c.notNull())
          .addColumn('installed_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('conversations_pk', ['tenant_id', 'conversation_id'])
          .execute();

        await db.schema
          .createTable('mailboxes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('graph_user_id', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('channel_conversation_id', 'text')
          .addColumn('channel_name', 'text')
          .addColumn('team_id', 'text')
          .addColumn('watched_by', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_notification_at', 'text')
          .addColumn('last_catchup_at', 'text')
          .addUniqueConstraint('mailboxes_tenant_address_uq', ['tenant_id', 'address'])
          .execute();

        await db.schema
          .createTable('subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('mailbox_id', 'text', (c) => c.notNull())
          .addColumn('client_state', 'text', (c) => c.notNull())
          .addColumn('resource', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('renewed_at', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('subscriptions_mailbox_ix').on('subscriptions').columns(['mailbox_id']).execute();

        await db.schema
          .createTable('emails')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('mailbox_id', 'text', (c) => c.notNull())
          .addColumn('graph_message_id', 'text', (c) => c.notNull())
          .addColumn('internet_message_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('from_name', 'text', (c) => c.notNull())
          .addColumn('from_address', 'text', (c) => c.notNull())
          .addColumn('to_json', 'text', (c) => c.notNull())
          .addColumn('cc_json', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addColumn('body_preview', 'text', (c) => c.notNull())
          .addColumn('web_link', 'text', (c) => c.notNull())
          .addColumn('is_draft', 'integer', (c) => c.notNull())
          .addColumn('is_outgoing', 'integer', (c) => c.notNull())
          .addColumn('has_attachments', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('emails_mailbox_imid_uq', ['mailbox_id', 'internet_message_id'])
          .execute();
        await db.schema
          .createIndex('emails_tenant_imid_ix')
          .on('emails')
          .columns(['tenant_id', 'internet_message_id'])
          .execute();
        await db.schema
          .createIndex('emails_conversation_ix')
          .on('emails')
          .columns(['tenant_id', 'mailbox_id', 'conversation_id'])
          .execute();

        await db.schema
          .createTable('threads')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('mailbox_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('teams_conversation_id', 'text', (c) => c.notNull())
          .addColumn('root_activity_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('threads_pk', ['mailbox_id', 'conversation_id'])
          .execute();

        await db.schema
          .createTable('cards')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('email_id', 'text', (c) => c.primaryKey())
          .addColumn('teams_conversation_id', 'text', (c) => c.notNull())
          .addColumn('activity_id', 'text', (c) => c.notNull())
          .addColumn('posted_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text', (c) => c.unique())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('run_at', 'text', (c) => c.notNull())
          .addColumn('lease_until', 'text')
          .addColumn('locked_by', 'text')
          .addColumn('last_error', 'text')
          .addColumn('last_error_code', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_due_ix').on('jobs').columns(['status', 'run_at']).execute();

        await db.schema
          .createTable('associations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('email_id', 'text', (c) => c.notNull())
          .addColumn('internet_message_id', 'text', (c) => c.notNull())
          .addColumn('record_type', 'text', (c) => c.notNull())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('record_name', 'text', (c) => c.notNull())
          .addColumn('saved_by_id', 'text', (c) => c.notNull())
          .addColumn('saved_by_name', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('rule_id', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.notNull())
          .addColumn('netsuite_message_id', 'text')
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('attachments_json', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('associations_uq', ['tenant_id', 'internet_message_id', 'record_type', 'record_id'])
          .execute();
        await db.schema
          .createIndex('associations_tenant_created_ix')
          .on('associations')
          .columns(['tenant_id', 'created_at', 'id'])
          .execute();
        await db.schema.createIndex('associations_email_ix').on('associations').columns(['email_id']).execute();

        await db.schema
          .createTable('claims')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('email_id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('user_name', 'text', (c) => c.notNull())
          .addColumn('claimed_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('autopilot_rules')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('mailbox_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('match_value', 'text', (c) => c.notNull())
          .addColumn('targets_json', 'text', (c) => c.notNull())
          .addColumn('owner_id', 'text', (c) => c.notNull())
          .addColumn('owner_name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('turned_off_by', 'text')
          .addColumn('turned_off_at', 'text')
          .execute();
        await db.schema
          .createIndex('autopilot_rules_match_ix')
          .on('autopilot_rules')
          .columns(['tenant_id', 'mailbox_id', 'active', 'kind'])
          .execute();

        await db.schema
          .createTable('licenses')
          .addColumn('tenant_id', 'text', (c) => c.primaryKey())
          .addColumn('license_key', 'text', (c) => c.notNull())
          .addColumn('seats', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('license_seats')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('assigned_by', 'text', (c) => c.notNull())
          .addColumn('assigned_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('license_seats_pk', ['tenant_id', 'subject'])
          .execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('id', engine === 'postgres' ? 'serial' : 'integer', (c) =>
            engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_tenant_at_ix').on('audit_log').columns(['tenant_id', 'at']).execute();

        await db.schema
          .createTable('delta_state')
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('mailbox_id', 'text', (c) => c.notNull())
          .addColumn('folder_id', 'text', (c) => c.notNull())
          .addColumn('delta_link', 'text')
          .addColumn('last_received_at', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('delta_state_pk', ['mailbox_id', 'folder_id'])
          .execute();

        await db.schema
          .createTable('rate_slots')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('lease_until', 'text')
          .execute();
        await db.schema.createIndex('rate_slots_key_at_ix').on('rate_slots').columns(['key', 'at']).execute();
      },
    },
    '002_email_suggestions': {
      async up(db: Kysely<unknown>) {
        // NetSuite suggestions arrive after the card is posted; they are kept so every re-render shows them.
        await db.schema.alterTable('emails').addColumn('suggestions_json', 'text').execute();
        // A line about autopilot for this email ("No NetSuite match, save it by hand").
        await db.schema.alterTable('emails').addColumn('autopilot_note', 'text').execute();
      },
    },
    '003_association_search': {
      // The Dashboard searches saves by subject, sender and record name. The text lives beside the association,
      // kept by the database itself (so every writer keeps it), under an index that serves '%term%':
      // a trigram GIN index on PostgreSQL, an FTS5 table with the trigram tokenizer on SQLite.
      up: (db: Kysely<unknown>) => (engine === 'postgres' ? postgresSearch(db) : sqliteSearch(db)),
    },
    '004_mailbox_team_group': {
      async up(db: Kysely<unknown>) {
        // Whose owners are admins of a mailbox's autopilot rules, for the Dashboard (which has no team of its own).
        await db.schema.alterTable('mailboxes').addColumn('team_group_id', 'text').execute();
      },
    },
  };
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

/** The schema-qualified trigram operator class, or null when pg_trgm is not installed. */
export async function trigramOps(db: Kysely<unknown>): Promise<string | null> {
  const r = await sql<{
    nspname: string;
  }>`select n.nspname from pg_extension x join pg_namespace n on n.oid = x.extnamespace
      where x.extname = 'pg_trgm'`.execute(db);
  const schema = r.rows[0]?.nspname;
  return schema ? `"${schema.replaceAll('"', '""')}".gin_trgm_ops` : null;
}

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

/** For tests: a database that is empty again. */
export async function truncateAll(db: Db): Promise<void> {
  const tables = [
    'conversations',
    'mailboxes',
    'subscriptions',
    'emails',
    'threads',
    'cards',
    'jobs',
    'associations',
    'claims',
    'autopilot_rules',
    'licenses',
    'license_seats',
    'audit_log',
    'delta_state',
    'rate_slots',
  ];
  // The search rows first: the trigger that follows each deleted association then finds nothing to scan.
  if (db.engine === 'sqlite') await sql`delete from associations_fts`.execute(db.kysely);
  for (const t of tables) await sql`delete from ${sql.table(t)}`.execute(db.kysely);
}
