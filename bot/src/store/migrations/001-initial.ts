import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

/** The first schema: every table Mailroom started with. */
export async function initial(db: Kysely<unknown>, engine: Engine): Promise<void> {
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
}
