import type { Kysely } from 'kysely';
import { RECORD_TYPES, type RecordRef } from '../../core/ports.js';
import type { Database } from '../../store/schema.js';

/**
 * The records this person saved to most recently, newest first, each once: what the search command shows
 * before anything is typed (initialRun). Autopilot saves carry the rule owner's id too, so they count.
 */
export async function recentRecords(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  limit: number,
): Promise<RecordRef[]> {
  if (userId === '') return [];
  const rows = await db
    .selectFrom('associations')
    .select((eb) => [
      'record_type',
      'record_id',
      eb.fn.max('record_name').as('record_name'),
      eb.fn.max('created_at').as('last_saved'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('saved_by_id', '=', userId)
    .groupBy(['record_type', 'record_id'])
    .orderBy('last_saved', 'desc')
    .orderBy('record_id')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => {
    const type = RECORD_TYPES.find((t) => t === r.record_type);
    return type ? [{ type, id: r.record_id, name: String(r.record_name ?? '') }] : [];
  });
}
