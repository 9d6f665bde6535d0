import type { Kysely } from 'kysely';
import type { Database } from '../../bot/src/store/schema.js';

/** The tables a hostile request could change; `rate_slots` and `delta_state` are bookkeeping, not state. */
const TABLES = [
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
] as const;

/**
 * Every row of the state tables, as JSON text sorted per table: compare one taken before a refused request with one
 * taken after it to prove that nothing changed.
 */
export async function dbSnapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}
