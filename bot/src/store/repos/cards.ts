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

  async threadState(
    tenantId: string,
    mailboxId: string,
    conversationId: string,
  ): Promise<{ teamsConversationId: string; rootActivityId: string; createdAt: string } | null> {
    const r = await this.db.kysely
      .selectFrom('threads')
      .select(['teams_conversation_id', 'root_activity_id', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return r
      ? { teamsConversationId: r.teams_conversation_id, rootActivityId: r.root_activity_id, createdAt: r.created_at }
      : null;
  }

  /**
   * Reserves the right to start a conversation's thread, before posting, so that two emails of one conversation
   * (on two replicas, or out of order) never both start one. The row says "pending:<emailId>" until posted.
   */
  async reserveThread(tenantId: string, mailboxId: string, conversationId: string, emailId: string, now: string) {
    const r = await this.db.kysely
      .insertInto('threads')
      .values({
        tenant_id: tenantId,
        mailbox_id: mailboxId,
        conversation_id: conversationId,
        teams_conversation_id: '',
        root_activity_id: `pending:${emailId}`,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'conversation_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Takes over `holderId`'s reservation: its holder died before posting (the reservation is older than
   * `staleBefore`) or its post failed for good. Of two emails taking over the same reservation at once, one does.
   */
  async takeOverThread(
    mailboxId: string,
    conversationId: string,
    emailId: string,
    t: { holderId: string; staleBefore: string; now: string },
  ) {
    const r = await this.db.kysely
      .updateTable('threads')
      .set({ root_activity_id: `pending:${emailId}`, created_at: t.now })
      .where('mailbox_id', '=', mailboxId)
      .where('conversation_id', '=', conversationId)
      .where('teams_conversation_id', '=', '')
      .where('root_activity_id', '=', `pending:${t.holderId}`)
      .where('created_at', '<', t.staleBefore)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Fills in a reserved thread once Teams has answered the post that started it. */
  async recordThread(mailboxId: string, conversationId: string, emailId: string, posted: PostedCard): Promise<void> {
    await this.db.kysely
      .updateTable('threads')
      .set({ teams_conversation_id: posted.teamsConversationId, root_activity_id: posted.activityId })
      .where('mailbox_id', '=', mailboxId)
      .where('conversation_id', '=', conversationId)
      .where('root_activity_id', '=', `pending:${emailId}`)
      .execute();
  }
}
