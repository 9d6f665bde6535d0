import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { NewTeamsMessage, TeamsMessage, TeamsMessageStore } from '../../core/teams-message.js';
import type { Db } from '../db.js';
import type { TeamsMessageTable } from '../schema.js';

function toTeamsMessage(r: Selectable<TeamsMessageTable>): TeamsMessage {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    key: r.message_key,
    teamId: r.team_id,
    subject: r.subject,
    author: { name: r.author_name, address: r.author_address },
    bodyHtml: r.body_html,
    postedAt: r.posted_at,
    webLink: r.web_link,
  };
}

/** Teams messages saved from the messaging extension: one row per (tenant, key), the first one kept. */
export class TeamsMessageRepo implements TeamsMessageStore {
  constructor(private readonly db: Db) {}

  async keep(m: NewTeamsMessage, now: string): Promise<TeamsMessage> {
    await this.db.kysely
      .insertInto('teams_messages')
      .values({
        id: randomUUID(),
        tenant_id: m.tenantId,
        message_key: m.key,
        team_id: m.teamId,
        subject: m.subject,
        author_name: m.author.name,
        author_address: m.author.address,
        body_html: m.bodyHtml,
        posted_at: m.postedAt,
        web_link: m.webLink,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'message_key']).doNothing())
      .execute();
    const row = await this.db.kysely
      .selectFrom('teams_messages')
      .selectAll()
      .where('tenant_id', '=', m.tenantId)
      .where('message_key', '=', m.key)
      .executeTakeFirstOrThrow();
    return toTeamsMessage(row);
  }

  async byId(tenantId: string, id: string): Promise<TeamsMessage | null> {
    const row = await this.db.kysely
      .selectFrom('teams_messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toTeamsMessage(row) : null;
  }
}
