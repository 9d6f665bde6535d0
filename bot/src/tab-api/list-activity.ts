import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import { decodeCursor, encodeCursor, endOfDay, isoDate, pageSize } from './cursor.js';
import type { Page } from './list-associations.js';

const blank = (v: unknown) => (v === '' ? undefined : v);

export const activityQuery = z.object({
  action: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z_]{1,40}$/, 'must be an action name such as rule_off')
      .optional(),
  ),
  actor: z.preprocess(blank, z.string().max(200).optional()),
  from: z.preprocess(blank, isoDate.optional()),
  to: z.preprocess(blank, isoDate.optional()),
  cursor: z.preprocess(blank, z.string().max(500).optional()),
  limit: pageSize,
});

export type ActivityQuery = z.infer<typeof activityQuery>;

export interface ActivityRow {
  id: number;
  at: string;
  actor: { id: string; name: string };
  action: string;
  subject: string;
  detail: string | null;
}

/** The audit log, newest first, keyset-paged over (at, id). */
export async function listActivity(
  db: Kysely<Database>,
  tenantId: string,
  f: ActivityQuery,
): Promise<Page<ActivityRow>> {
  let q = db.selectFrom('audit_log').where('tenant_id', '=', tenantId).selectAll();
  if (f.action) q = q.where('action', '=', f.action);
  const actor = f.actor;
  if (actor)
    q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb(sql`lower(actor_name)`, '=', actor.toLowerCase())]));
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<=', endOfDay(f.to));
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    const id = Number(c.id);
    q = q.where((eb) => eb.or([eb('at', '<', c.at), eb.and([eb('at', '=', c.at), eb('id', '<', id)])]));
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: { id: r.actor_id, name: r.actor_name },
      action: r.action,
      subject: r.subject,
      detail: r.detail,
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ at: last.at, id: Number(last.id) }) : null,
  };
}
