import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Association, AssociationStatus, AssociationStore } from '../../core/associations.js';
import { RECORD_TYPES, type RecordRef, type RecordType } from '../../core/ports.js';
import type { Db } from '../db.js';
import type { AssociationTable } from '../schema.js';

export type { Association, AssociationStatus };

/** How many of a mailbox's latest saves its recent records are taken from (recentForMailbox). */
export const RECENT_SAVES_READ = 200;

/** The per-file outcomes of a save, as stored (null before the save ran). */
export function attachmentsOf(json: string | null): Association['attachments'] {
  return json ? (JSON.parse(json) as Association['attachments']) : [];
}

function toAssociation(r: Selectable<AssociationTable>): Association {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    emailId: r.email_id,
    internetMessageId: r.internet_message_id,
    record: { type: r.record_type as RecordType, id: r.record_id, name: r.record_name },
    savedBy: { id: r.saved_by_id, name: r.saved_by_name },
    mode: r.mode as Association['mode'],
    ruleId: r.rule_id,
    status: r.status as AssociationStatus,
    externalId: r.external_id,
    netsuiteMessageId: r.netsuite_message_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attachments: attachmentsOf(r.attachments_json),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * One row per (tenant, internetMessageId, record): the unique key is what makes a save happen once, whoever
 * clicks, whichever mailbox holds the copy, and whether a person or autopilot asked first.
 */
export class AssociationRepo implements AssociationStore {
  constructor(private readonly db: Db) {}

  /** Inserts the save of the (message, record) pair unless it exists. Returns the row and whether it is new. */
  async insertIfNew(input: {
    tenantId: string;
    emailId: string;
    internetMessageId: string;
    record: RecordRef;
    savedBy: { id: string; name: string };
    mode: 'one-time' | 'autopilot';
    ruleId: string | null;
    externalId: string;
    now: string;
  }): Promise<{ association: Association; created: boolean }> {
    const r = await this.db.kysely
      .insertInto('associations')
      .values({
        id: randomUUID(),
        tenant_id: input.tenantId,
        email_id: input.emailId,
        internet_message_id: input.internetMessageId,
        record_type: input.record.type,
        record_id: input.record.id,
        record_name: input.record.name,
        saved_by_id: input.savedBy.id,
        saved_by_name: input.savedBy.name,
        mode: input.mode,
        rule_id: input.ruleId,
        status: 'pending',
        external_id: input.externalId,
        netsuite_message_id: null,
        error_code: null,
        error_message: null,
        attachments_json: null,
        created_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'internet_message_id', 'record_type', 'record_id']).doNothing())
      .executeTakeFirst();
    const created = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    const row = await this.db.kysely
      .selectFrom('associations')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('internet_message_id', '=', input.internetMessageId)
      .where('record_type', '=', input.record.type)
      .where('record_id', '=', input.record.id)
      .executeTakeFirstOrThrow();
    return { association: toAssociation(row), created };
  }

  async byId(tenantId: string, id: string): Promise<Association | null> {
    const r = await this.db.kysely
      .selectFrom('associations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toAssociation(r) : null;
  }

  /** Every save of this message, whichever mailbox's copy it was made from. */
  async forMessage(tenantId: string, internetMessageId: string): Promise<Association[]> {
    const rows = await this.db.kysely
      .selectFrom('associations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('internet_message_id', '=', internetMessageId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAssociation);
  }

  /**
   * The records this mailbox's team saved mail to most recently, newest first, each once (failed saves do not
   * count), from the mailbox's last RECENT_SAVES_READ saves: the picker's static choices, so a client without
   * typeahead can still save mail from a new sender. Every card view asks, so it reads a bounded number of rows,
   * newest first along the tenant's created_at index: grouping every save the mailbox ever had took 32 ms per
   * card at 20,000 saves (SQLite), and grew with them.
   */
  async recentForMailbox(tenantId: string, mailboxId: string, limit: number): Promise<RecordRef[]> {
    const latest = this.db.kysely
      .selectFrom('associations as a')
      .innerJoin('emails as e', (j) => j.onRef('e.id', '=', 'a.email_id').onRef('e.tenant_id', '=', 'a.tenant_id'))
      .select(['a.record_type', 'a.record_id', 'a.record_name', 'a.created_at'])
      .where('a.tenant_id', '=', tenantId)
      .where('e.mailbox_id', '=', mailboxId)
      .where('a.status', '!=', 'failed')
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(RECENT_SAVES_READ)
      .as('s');
    const rows = await this.db.kysely
      .selectFrom(latest)
      .select((eb) => [
        's.record_type',
        's.record_id',
        eb.fn.max('s.record_name').as('record_name'),
        eb.fn.max('s.created_at').as('last_saved'),
      ])
      .groupBy(['s.record_type', 's.record_id'])
      .orderBy('last_saved', 'desc')
      .orderBy('s.record_id')
      .limit(limit)
      .execute();
    return rows.flatMap((r) => {
      const type = RECORD_TYPES.find((t) => t === r.record_type);
      return type ? [{ type, id: r.record_id, name: String(r.record_name ?? '') }] : [];
    });
  }

  async markSaved(
    tenantId: string,
    id: string,
    out: { netsuiteMessageId: string; attachments: Association['attachments']; now: string },
  ): Promise<void> {
    const partial = out.attachments.some((a) => a.status !== 'saved');
    await this.db.kysely
      .updateTable('associations')
      .set({
        status: partial ? 'partial' : 'saved',
        netsuite_message_id: out.netsuiteMessageId,
        attachments_json: JSON.stringify(out.attachments),
        error_code: null,
        error_message: null,
        updated_at: out.now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async markFailed(tenantId: string, id: string, err: { code: string; message: string; now: string }): Promise<void> {
    await this.db.kysely
      .updateTable('associations')
      .set({ status: 'failed', error_code: err.code, error_message: err.message, updated_at: err.now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /**
   * Takes the save for one attempt: pending or failed becomes "saving". Only one worker can take it, so two jobs
   * for the same pair never talk to NetSuite at once. A "saving" row older than the stale window (a worker died
   * mid-save) can be taken again; NetSuite's externalId check then finds what that worker may have created.
   */
  async begin(tenantId: string, id: string, now: string, staleMs: number): Promise<Association | null> {
    const stale = new Date(Date.parse(now) - staleMs).toISOString();
    const r = await this.db.kysely
      .updateTable('associations')
      .set({ status: 'saving', updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['pending', 'failed']),
          eb.and([eb('status', '=', 'saving'), eb('updated_at', '<', stale)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return null;
    return this.byId(tenantId, id);
  }

  /** Puts a failed or partial save back to pending for a retry; false when it is neither (someone retried first). */
  async reopen(tenantId: string, id: string, now: string): Promise<boolean> {
    const r = await this.db.kysely
      .updateTable('associations')
      .set({ status: 'pending', error_code: null, error_message: null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'partial'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
