import type { ConversationRow, ConversationStore } from '../../core/ports.js';
import type { Db } from '../db.js';

export type { ConversationRow };

/** Where the bot is installed; the reference is what proactive posts need. */
export class ConversationRepo implements ConversationStore {
  constructor(private readonly db: Db) {}

  async upsert(row: ConversationRow): Promise<void> {
    const values = {
      tenant_id: row.tenantId,
      conversation_id: row.conversationId,
      kind: row.kind,
      team_id: row.teamId,
      channel_id: row.channelId,
      name: row.name,
      reference: JSON.stringify(row.reference),
      installed_at: row.installedAt,
    };
    await this.db.kysely
      .insertInto('conversations')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'conversation_id']).doUpdateSet({
          kind: values.kind,
          team_id: values.team_id,
          channel_id: values.channel_id,
          name: values.name,
          reference: values.reference,
        }),
      )
      .execute();
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationRow | null> {
    const r = await this.db.kysely
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async listForTeam(tenantId: string, teamId: string): Promise<ConversationRow[]> {
    const rows = await this.db.kysely
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('team_id', '=', teamId)
      .execute();
    return rows.map(toRow);
  }

  /** On uninstall from a team, every channel of that team goes; in a chat, just that chat. */
  async removeTeamOrChat(tenantId: string, teamId: string | null, conversationId: string): Promise<number> {
    let q = this.db.kysely.deleteFrom('conversations').where('tenant_id', '=', tenantId);
    q = teamId ? q.where('team_id', '=', teamId) : q.where('conversation_id', '=', conversationId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

function toRow(r: {
  tenant_id: string;
  conversation_id: string;
  kind: string;
  team_id: string | null;
  channel_id: string | null;
  name: string | null;
  reference: string;
  installed_at: string;
}): ConversationRow {
  return {
    tenantId: r.tenant_id,
    conversationId: r.conversation_id,
    kind: r.kind as ConversationRow['kind'],
    teamId: r.team_id,
    channelId: r.channel_id,
    name: r.name,
    reference: JSON.parse(r.reference) as Record<string, unknown>,
    installedAt: r.installed_at,
  };
}
