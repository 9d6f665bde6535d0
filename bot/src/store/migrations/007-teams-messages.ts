import type { Kysely } from 'kysely';

export async function teamsMessages(db: Kysely<unknown>): Promise<void> {
  // Teams messages saved from the messaging extension (core/teams-message.ts). Their saves are association rows
  // like an email's: email_id names the row here, internet_message_id its key.
  await db.schema
    .createTable('teams_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_address', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('web_link', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('teams_messages_key_ux')
    .on('teams_messages')
    .columns(['tenant_id', 'message_key'])
    .unique()
    .execute();
}
