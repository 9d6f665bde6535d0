import { randomUUID } from 'node:crypto';
import { type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Mailbox, MailboxKind } from '../../core/email.js';
import type { MailboxGuard, MailboxStore, SubscriptionRow } from '../../core/ports.js';
import type { Db } from '../db.js';
import type { Database, MailboxTable, SubscriptionTable } from '../schema.js';

export type { SubscriptionRow };

function toMailbox(r: Selectable<MailboxTable>): Mailbox {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    address: r.address,
    graphUserId: r.graph_user_id,
    displayName: r.display_name,
    kind: r.kind as MailboxKind,
    channelConversationId: r.channel_conversation_id,
    channelName: r.channel_name,
    teamId: r.team_id,
    teamGroupId: r.team_group_id ?? null,
    watchedBy: r.watched_by,
    active: r.active === 1,
    createdAt: r.created_at,
  };
}

function toSubscription(r: Selectable<SubscriptionTable>): SubscriptionRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    mailboxId: r.mailbox_id,
    clientState: r.client_state,
    resource: r.resource,
    expiresAt: r.expires_at,
    status: r.status as SubscriptionRow['status'],
  };
}

/** Watched mailboxes and their Graph subscriptions. */
export class MailboxRepo implements MailboxStore {
  constructor(private readonly db: Db) {}

  /**
   * Creates the mailbox, or points an existing one (active or not) at a new channel; with `guard`, not one that
   * another watch bound elsewhere or an unwatch deactivated meanwhile (MailboxStore.upsert). The guard is the DO
   * UPDATE's WHERE: PostgreSQL waits there for a concurrent insert or update of the row to commit, judges the
   * committed row, and locks it even when it does not update it; SQLite runs one write transaction at a time.
   */
  async upsert(
    input: Omit<Mailbox, 'id' | 'createdAt' | 'active' | 'teamGroupId'> & { teamGroupId?: string | null; now: string },
    guard?: MailboxGuard,
  ): Promise<Mailbox> {
    const address = input.address.toLowerCase();
    await this.db.kysely
      .insertInto('mailboxes')
      .values({
        id: randomUUID(),
        tenant_id: input.tenantId,
        address,
        graph_user_id: input.graphUserId,
        display_name: input.displayName,
        kind: input.kind,
        channel_conversation_id: input.channelConversationId,
        channel_name: input.channelName,
        team_id: input.teamId,
        team_group_id: input.teamGroupId ?? null,
        watched_by: input.watchedBy,
        active: 1,
        created_at: input.now,
        last_notification_at: null,
        last_catchup_at: null,
      })
      .onConflict((oc) => {
        const update = oc.columns(['tenant_id', 'address']).doUpdateSet({
          graph_user_id: input.graphUserId,
          display_name: input.displayName,
          kind: input.kind,
          channel_conversation_id: input.channelConversationId,
          channel_name: input.channelName,
          team_id: input.teamId,
          // A watch typed where Teams did not name the group keeps the one learned before, if the team is the same.
          team_group_id: input.teamGroupId
            ? input.teamGroupId
            : sql<string | null>`case when mailboxes.team_id = ${input.teamId} then mailboxes.team_group_id end`,
          watched_by: input.watchedBy,
          // Watched again after an unwatch: catch-up's floor (created_at) moves to now, so the mail that came while
          // nobody watched is history, not news (deactivate dropped the folders' deltaLinks).
          created_at: sql<string>`case when mailboxes.active = 0 then ${input.now} else mailboxes.created_at end`,
          active: 1,
        });
        if (!guard) return update;
        return update.where((eb) => {
          const bound = eb.or(
            [input.channelConversationId, ...guard.movableFrom].map((c) =>
              c === null
                ? eb('mailboxes.channel_conversation_id', 'is', null)
                : eb('mailboxes.channel_conversation_id', '=', c),
            ),
          );
          // Seen active: unwatched since means left alone. Otherwise an inactive row is anyone's to watch.
          return guard.seenActive
            ? eb.and([eb('mailboxes.active', '=', 1), bound])
            : eb.or([eb('mailboxes.active', '=', 0), bound]);
        });
      })
      .execute();
    const mailbox = await this.byAddress(input.tenantId, address);
    // An assert: the row was written in this statement's transaction, so only a defect makes it vanish.
    if (!mailbox) throw new Error(`mailbox ${address} vanished after upsert`);
    return mailbox;
  }

  /** Records the Microsoft 365 group id of a team for the mailboxes whose cards go to its channels. */
  async learnTeamGroup(tenantId: string, teamId: string, groupId: string): Promise<void> {
    await this.db.kysely
      .updateTable('mailboxes')
      .set({ team_group_id: groupId })
      .where('tenant_id', '=', tenantId)
      .where('team_id', '=', teamId)
      .execute();
  }

  async byAddress(tenantId: string, address: string): Promise<Mailbox | null> {
    const r = await this.db.kysely
      .selectFrom('mailboxes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('address', '=', address.toLowerCase())
      .executeTakeFirst();
    return r ? toMailbox(r) : null;
  }

  async byId(tenantId: string, id: string): Promise<Mailbox | null> {
    const r = await this.db.kysely
      .selectFrom('mailboxes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toMailbox(r) : null;
  }

  async listActive(tenantId?: string): Promise<Mailbox[]> {
    let q = this.db.kysely.selectFrom('mailboxes').selectAll().where('active', '=', 1);
    if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
    return (await q.orderBy('address').execute()).map(toMailbox);
  }

  /**
   * Stops watching: the row stays, for history. The folders' deltaLinks go, so a later /watch starts catch-up from
   * its own time instead of resuming where this watch stopped and carding everything that came in between.
   */
  async deactivate(tenantId: string, id: string): Promise<void> {
    await this.set(tenantId, id, { active: 0 });
    await this.db.kysely
      .deleteFrom('delta_state')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', id)
      .execute();
  }

  /** Health: when Graph last notified. Takes the caller's transaction, so intake writes it with the jobs. */
  async touchNotification(tenantId: string, id: string, at: string, trx?: Transaction<Database>): Promise<void> {
    await this.set(tenantId, id, { last_notification_at: at }, trx);
  }

  /** Health: when delta catch-up last completed. */
  async touchCatchup(tenantId: string, id: string, at: string): Promise<void> {
    await this.set(tenantId, id, { last_catchup_at: at });
  }

  private async set(
    tenantId: string,
    id: string,
    values: Updateable<MailboxTable>,
    trx?: Transaction<Database>,
  ): Promise<void> {
    await (trx ?? this.db.kysely)
      .updateTable('mailboxes')
      .set(values)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async saveSubscription(row: SubscriptionRow & { now: string }): Promise<void> {
    await this.db.kysely
      .insertInto('subscriptions')
      .values({
        id: row.id,
        tenant_id: row.tenantId,
        mailbox_id: row.mailboxId,
        client_state: row.clientState,
        resource: row.resource,
        expires_at: row.expiresAt,
        created_at: row.now,
        renewed_at: null,
        status: row.status,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ expires_at: row.expiresAt, status: row.status, renewed_at: row.now }),
      )
      .execute();
  }

  /** Looks a subscription up by Graph's id alone: a notification names no tenant we can trust before this. */
  async subscription(id: string): Promise<SubscriptionRow | null> {
    const r = await this.db.kysely.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toSubscription(r) : null;
  }

  async subscriptionsFor(tenantId: string, mailboxId: string): Promise<SubscriptionRow[]> {
    const rows = await this.db.kysely
      .selectFrom('subscriptions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('status', '=', 'active')
      .execute();
    return rows.map(toSubscription);
  }

  async updateSubscription(id: string, set: { expiresAt?: string; status?: 'active' | 'removed'; now: string }) {
    await this.db.kysely
      .updateTable('subscriptions')
      .set({
        ...(set.expiresAt !== undefined ? { expires_at: set.expiresAt } : {}),
        ...(set.status !== undefined ? { status: set.status } : {}),
        renewed_at: set.now,
      })
      .where('id', '=', id)
      .execute();
  }
}
