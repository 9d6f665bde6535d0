import type { Selectable } from 'kysely';
import type { AuditAction, AuditEntry, AuditInput, AuditLog, AuditPage, AuditQuery } from '../../core/audit.js';
import { MailroomError } from '../../core/errors.js';
import type { Db } from '../db.js';
import type { AuditTable } from '../schema.js';

const MAX_PAGE = 200;

function toEntry(r: Selectable<AuditTable>): AuditEntry {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    at: r.at,
    actor: { id: r.actor_id, name: r.actor_name },
    action: r.action as AuditAction,
    subject: r.subject,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  };
}

/** The audit trail, newest first, paged by id (ids only grow, so a page never repeats or skips a row). */
export class AuditRepo implements AuditLog {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(input: AuditInput): Promise<void> {
    await this.db.kysely
      .insertInto('audit_log')
      .values({
        tenant_id: input.tenantId,
        at: this.clock().toISOString(),
        actor_id: input.actor.id,
        actor_name: input.actor.name,
        action: input.action,
        subject: input.subject,
        detail: input.detail === undefined ? null : JSON.stringify(input.detail),
      })
      .execute();
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_PAGE);
    let q = this.db.kysely.selectFrom('audit_log').selectAll().where('tenant_id', '=', query.tenantId);
    if (query.action) q = q.where('action', '=', query.action);
    if (query.actorId) q = q.where('actor_id', '=', query.actorId);
    if (query.from) q = q.where('at', '>=', query.from);
    if (query.to) q = q.where('at', '<=', query.to);
    if (query.cursor) {
      const before = Number(query.cursor);
      if (!Number.isInteger(before)) {
        throw new MailroomError('bad_request', 'That page of the audit log does not exist.', {
          remedy: 'Start again from the first page.',
        });
      }
      q = q.where('id', '<', before);
    }
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toEntry);
    const last = page[page.length - 1];
    return rows.length > limit && last ? { entries: page, nextCursor: String(last.id) } : { entries: page };
  }
}
