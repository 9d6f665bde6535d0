import type { Db } from '../db.js';

export interface FolderDeltaState {
  folderId: string;
  deltaLink: string | null;
  /** The newest receivedDateTime seen in this folder: where a reset round starts again. */
  lastReceivedAt: string | null;
}

/** Each watched folder's stored deltaLink, so catch-up asks Graph only for what changed since. */
export class DeltaStateRepo {
  constructor(private readonly db: Db) {}

  async get(tenantId: string, mailboxId: string, folderId: string): Promise<FolderDeltaState | null> {
    const r = await this.db.kysely
      .selectFrom('delta_state')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('folder_id', '=', folderId)
      .executeTakeFirst();
    return r ? { folderId: r.folder_id, deltaLink: r.delta_link, lastReceivedAt: r.last_received_at } : null;
  }

  /** Stores the end of a round. lastReceivedAt only moves forward. */
  async save(tenantId: string, mailboxId: string, state: FolderDeltaState, now: string): Promise<void> {
    const prev = await this.get(tenantId, mailboxId, state.folderId);
    const last = newest(prev?.lastReceivedAt ?? null, state.lastReceivedAt);
    await this.db.kysely
      .insertInto('delta_state')
      .values({
        tenant_id: tenantId,
        mailbox_id: mailboxId,
        folder_id: state.folderId,
        delta_link: state.deltaLink,
        last_received_at: last,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['mailbox_id', 'folder_id'])
          .doUpdateSet({ delta_link: state.deltaLink, last_received_at: last, updated_at: now }),
      )
      .execute();
  }
}

function newest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
