import type { PostedCard } from '../../core/ports.js';
import type { Db } from '../db.js';

/** Where each email's card and each mail conversation's Teams thread live. */
export class CardRepo {
  constructor(private readonly db: Db) {}

  async cardFor(tenantId: string, emailId: string): Promise<PostedCard | null> {
    const r = await this.db.kysely
      .selectFrom('cards')
      .select(['teams_conversation_id', 'activity_id'])
      .where('tenant_id', '=', tenantId)
      .where('email_id', '=', emailId)
      .executeTakeFirst();
    return r ? { teamsConversationId: r.teams_conversation_id, activityId: r.activity_id } : null;
  }

  /** Records a posted card. Returns false when another worker recorded one first. */
  async recordCard(tenantId: string, emailId: string, posted: PostedCard, now: string): Promise<boolean> {
    const r = await this.db.kysely
      .insertInto('cards')
      .values({
        tenant_id: tenantId,
        email_id: emailId,
        teams_conversation_id: posted.teamsConversationId,
        activity_id: posted.activityId,
        posted_at: now,
      })
      .onConflict((oc) => oc.column('email_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async threadFor(tenantId: string, mailboxId: string, conversationId: string): Promise<string | null> {
    const r = await this.db.kysely
      .selectFrom('threads')
      .select('teams_conversation_id')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return r?.teams_conversation_id ?? null;
  }

  async recordThread(
    tenantId: string,
    mailboxId: string,
    conversationId: string,
    posted: PostedCard,
    now: string,
  ): Promise<void> {
    await this.db.kysely
      .insertInto('threads')
      .values({
        tenant_id: tenantId,
        mailbox_id: mailboxId,
        conversation_id: conversationId,
        teams_conversation_id: posted.teamsConversationId,
        root_activity_id: posted.activityId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'conversation_id']).doNothing())
      .execute();
  }
}
