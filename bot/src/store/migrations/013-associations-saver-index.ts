import type { Kysely } from 'kysely';

/**
 * The Dashboard shows someone who is in no team of a watched mailbox only their own saves (tab-api/viewer-scope.ts):
 * with this index that is an ordered read of their newest saves, where without it PostgreSQL read every save of the
 * tenant to find none (13 ms at 100,000 saves, growing with them). Only an index is added, so a replica of the
 * previous version keeps working beside this one during a rolling deploy.
 */
export async function associationsSaverIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('associations_saver_ix')
    .on('associations')
    .columns(['tenant_id', 'saved_by_id', 'created_at'])
    .execute();
}
