import { type Kysely, sql } from 'kysely';

export async function retentionIndexes(db: Kysely<unknown>): Promise<void> {
  // Retention (store/retention.ts) deletes by age. Without these, each pass scans the whole table to find the
  // few rows that have aged out. The jobs index is partial: only finished jobs are in it, so leasing and
  // finishing live jobs do not pay for it. Both engines support partial indexes; the literal must match the
  // one retention's query uses for the planner to pick it.
  await db.schema
    .createIndex('jobs_done_updated_ix')
    .on('jobs')
    .column('updated_at')
    .where(sql.ref('status'), '=', sql.lit('done'))
    .execute();
  await db.schema.createIndex('audit_at_ix').on('audit_log').column('at').execute();
  await db.schema.createIndex('rate_slots_at_ix').on('rate_slots').column('at').execute();
}
