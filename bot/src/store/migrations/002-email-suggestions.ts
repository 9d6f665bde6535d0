import type { Kysely } from 'kysely';

export async function emailSuggestions(db: Kysely<unknown>): Promise<void> {
  // NetSuite suggestions arrive after the card is posted; they are kept so every re-render shows them.
  await db.schema.alterTable('emails').addColumn('suggestions_json', 'text').execute();
  // A line about autopilot for this email ("No NetSuite match, save it by hand").
  await db.schema.alterTable('emails').addColumn('autopilot_note', 'text').execute();
}
