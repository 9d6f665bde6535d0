import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Address, Email, NewEmail } from '../../core/email.js';
import type { EmailStore, RecordSuggestion } from '../../core/ports.js';
import type { Db } from '../db.js';
import type { EmailTable } from '../schema.js';

function toEmail(r: Selectable<EmailTable>): Email {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    mailboxId: r.mailbox_id,
    graphMessageId: r.graph_message_id,
    internetMessageId: r.internet_message_id,
    conversationId: r.conversation_id,
    subject: r.subject,
    from: { name: r.from_name, address: r.from_address },
    to: JSON.parse(r.to_json) as Address[],
    cc: JSON.parse(r.cc_json) as Address[],
    receivedAt: r.received_at,
    sentAt: r.sent_at,
    bodyPreview: r.body_preview,
    webLink: r.web_link,
    isDraft: r.is_draft === 1,
    isOutgoing: r.is_outgoing === 1,
    hasAttachments: r.has_attachments === 1,
    createdAt: r.created_at,
    ...(r.autopilot_note ? { autopilotNote: r.autopilot_note } : {}),
  };
}

function toSuggestions(json: string | null): RecordSuggestion[] | null | 'failed' {
  if (!json) return null;
  const parsed = JSON.parse(json) as RecordSuggestion[] | { failed: true };
  return Array.isArray(parsed) ? parsed : 'failed';
}

/** Emails, deduplicated on (mailbox, internetMessageId): a repeated notification finds the first row. */
export class EmailRepo implements EmailStore {
  constructor(private readonly db: Db) {}

  /** Stores the email unless this mailbox already has it; `isNew` says which happened. */
  async insertIfNew(e: NewEmail, now: string): Promise<{ email: Email; isNew: boolean }> {
    const id = randomUUID();
    const r = await this.db.kysely
      .insertInto('emails')
      .values({
        id,
        tenant_id: e.tenantId,
        mailbox_id: e.mailboxId,
        graph_message_id: e.graphMessageId,
        internet_message_id: e.internetMessageId,
        conversation_id: e.conversationId,
        subject: e.subject,
        from_name: e.from.name,
        from_address: e.from.address.toLowerCase(),
        to_json: JSON.stringify(e.to),
        cc_json: JSON.stringify(e.cc),
        received_at: e.receivedAt,
        sent_at: e.sentAt,
        body_preview: e.bodyPreview,
        web_link: e.webLink,
        is_draft: e.isDraft ? 1 : 0,
        is_outgoing: e.isOutgoing ? 1 : 0,
        has_attachments: e.hasAttachments ? 1 : 0,
        created_at: now,
        suggestions_json: null,
        autopilot_note: null,
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'internet_message_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    // A new row comes back from the INSERT itself; only a repeat needs the row already there.
    if (r) return { email: toEmail(r), isNew: true };
    const email = await this.byMessageId(e.tenantId, e.mailboxId, e.internetMessageId);
    // An assert: the conflicting row is committed (or in this transaction), so only a defect makes it vanish.
    if (!email) throw new Error('email vanished after insert');
    return { email, isNew: false };
  }

  async byId(tenantId: string, id: string): Promise<Email | null> {
    const r = await this.row(tenantId, id);
    return r ? toEmail(r) : null;
  }

  private row(tenantId: string, id: string) {
    return this.db.kysely
      .selectFrom('emails')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async byMessageId(tenantId: string, mailboxId: string, internetMessageId: string): Promise<Email | null> {
    const r = await this.db.kysely
      .selectFrom('emails')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('internet_message_id', '=', internetMessageId)
      .executeTakeFirst();
    return r ? toEmail(r) : null;
  }

  /** Every watched copy of one message (a CC to support@ lands in two mailboxes). */
  async copies(tenantId: string, internetMessageId: string): Promise<Email[]> {
    const rows = await this.db.kysely
      .selectFrom('emails')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('internet_message_id', '=', internetMessageId)
      .execute();
    return rows.map(toEmail);
  }

  async withCards(
    tenantId: string,
    mailboxId: string,
    narrow: { conversationId?: string; party?: string },
    limit: number,
  ): Promise<Email[]> {
    let q = this.db.kysely
      .selectFrom('emails as e')
      .innerJoin('cards as c', (j) => j.onRef('c.email_id', '=', 'e.id').on('c.tenant_id', '=', tenantId))
      .selectAll('e')
      .where('e.tenant_id', '=', tenantId)
      .where('e.mailbox_id', '=', mailboxId);
    if (narrow.conversationId !== undefined) q = q.where('e.conversation_id', '=', narrow.conversationId);
    if (narrow.party !== undefined) {
      const party = narrow.party.toLowerCase();
      // The JSON lists hold each address as a quoted string; '!' escapes LIKE's wildcards in it.
      const quoted = `%${JSON.stringify(party).replace(/[!%_]/g, '!$&')}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(e.from_address)`, '=', party),
          eb(sql`lower(e.to_json)`, 'like', sql`${quoted} escape '!'`),
          eb(sql`lower(e.cc_json)`, 'like', sql`${quoted} escape '!'`),
        ]),
      );
    }
    const rows = await q.orderBy('e.received_at', 'desc').orderBy('e.id').limit(limit).execute();
    return rows.map(toEmail);
  }

  /** NetSuite suggestions for the card: null while still being looked up, 'failed' when the lookup gave up. */
  async suggestions(tenantId: string, id: string): Promise<RecordSuggestion[] | null | 'failed'> {
    const r = await this.db.kysely
      .selectFrom('emails')
      .select('suggestions_json')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return toSuggestions(r?.suggestions_json ?? null);
  }

  /** The email and its suggestions in one read of its row (a card shows both). */
  async withSuggestions(
    tenantId: string,
    id: string,
  ): Promise<{ email: Email; suggestions: RecordSuggestion[] | null | 'failed' } | null> {
    const r = await this.row(tenantId, id);
    return r ? { email: toEmail(r), suggestions: toSuggestions(r.suggestions_json) } : null;
  }

  async setSuggestions(tenantId: string, id: string, items: RecordSuggestion[] | 'failed'): Promise<void> {
    await this.db.kysely
      .updateTable('emails')
      .set({ suggestions_json: JSON.stringify(items === 'failed' ? { failed: true } : items) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async setAutopilotNote(tenantId: string, id: string, note: string | null): Promise<void> {
    await this.db.kysely
      .updateTable('emails')
      .set({ autopilot_note: note })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** The first email of a conversation in a mailbox that gets a card: its card starts the Teams thread. */
  async firstCardable(tenantId: string, mailboxId: string, conversationId: string): Promise<Email | null> {
    const r = await this.db.kysely
      .selectFrom('emails')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('conversation_id', '=', conversationId)
      .where('is_draft', '=', 0)
      .where('is_outgoing', '=', 0)
      .orderBy('received_at')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return r ? toEmail(r) : null;
  }

  /** Follows a moved message: its immutable id stays, but keep the newest one Graph gave us. */
  async updateGraphId(tenantId: string, id: string, graphMessageId: string): Promise<void> {
    await this.db.kysely
      .updateTable('emails')
      .set({ graph_message_id: graphMessageId })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }
}
