import type { Kysely } from 'kysely';

export async function mailboxTeamGroup(db: Kysely<unknown>): Promise<void> {
  // Whose owners are admins of a mailbox's autopilot rules, for the Dashboard (which has no team of its own).
  await db.schema.alterTable('mailboxes').addColumn('team_group_id', 'text').execute();
}
