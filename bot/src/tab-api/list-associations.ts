import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import { decodeCursor, encodeCursor, endOfDay, isoDate, likePattern, pageSize } from './cursor.js';

const blank = (v: unknown) => (v === '' ? undefined : v);
const text = z.preprocess(blank, z.string().max(200).optional());

export const associationsQuery = z.object({
  q: text,
  mailbox: text,
  savedBy: text,
  mode: z.preprocess(blank, z.enum(['one-time', 'autopilot']).optional()),
  status: z.preprocess(blank, z.enum(['saved', 'pending', 'failed', 'partial']).optional()),
  from: z.preprocess(blank, isoDate.optional()),
  to: z.preprocess(blank, isoDate.optional()),
  cursor: text,
  limit: pageSize,
});

export type AssociationsQuery = z.infer<typeof associationsQuery>;

export interface AssociationRow {
  id: string;
  createdAt: string;
  subject: string;
  from: { name: string; address: string };
  mailbox: { id: string; address: string };
  record: { type: string; id: string; name: string; url: string };
  savedBy: { id: string; name: string };
  mode: string;
  status: string;
  error: { code: string; message: string } | null;
  outlookUrl: string;
  canRetry: boolean;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Newest first, filtered, keyset-paged; every row belongs to `tenantId`. */
export async function listAssociations(
  db: Kysely<Database>,
  tenantId: string,
  f: AssociationsQuery,
  recordUrl: (type: string, id: string) => string,
): Promise<Page<AssociationRow>> {
  let query = db
    .selectFrom('associations as a')
    .innerJoin('emails as e', (j) => j.onRef('e.id', '=', 'a.email_id').on('e.tenant_id', '=', tenantId))
    .innerJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'e.mailbox_id').on('m.tenant_id', '=', tenantId))
    .where('a.tenant_id', '=', tenantId)
    .select([
      'a.id',
      'a.created_at',
      'a.record_type',
      'a.record_id',
      'a.record_name',
      'a.saved_by_id',
      'a.saved_by_name',
      'a.mode',
      'a.status',
      'a.error_code',
      'a.error_message',
      'e.subject',
      'e.from_name',
      'e.from_address',
      'e.web_link',
      'm.id as mailbox_id',
      'm.address as mailbox_address',
    ]);
  if (f.q) {
    const p = likePattern(f.q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(e.subject)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(e.from_address)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(e.from_name)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(a.record_name)`, 'like', sql`${p} escape '\\'`),
      ]),
    );
  }
  const mailbox = f.mailbox;
  if (mailbox)
    query = query.where((eb) => eb.or([eb('m.id', '=', mailbox), eb('m.address', '=', mailbox.toLowerCase())]));
  const savedBy = f.savedBy;
  if (savedBy) {
    query = query.where((eb) =>
      eb.or([eb('a.saved_by_id', '=', savedBy), eb(sql`lower(a.saved_by_name)`, '=', savedBy.toLowerCase())]),
    );
  }
  if (f.mode) query = query.where('a.mode', '=', f.mode);
  if (f.status) query = query.where('a.status', '=', f.status);
  if (f.from) query = query.where('a.created_at', '>=', f.from);
  if (f.to) query = query.where('a.created_at', '<=', endOfDay(f.to));
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    const id = String(c.id);
    query = query.where((eb) =>
      eb.or([eb('a.created_at', '<', c.at), eb.and([eb('a.created_at', '=', c.at), eb('a.id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      subject: r.subject,
      from: { name: r.from_name, address: r.from_address },
      mailbox: { id: r.mailbox_id, address: r.mailbox_address },
      record: { type: r.record_type, id: r.record_id, name: r.record_name, url: recordUrl(r.record_type, r.record_id) },
      savedBy: { id: r.saved_by_id, name: r.saved_by_name },
      mode: r.mode,
      status: r.status,
      error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
      outlookUrl: r.web_link,
      canRetry: r.status === 'failed' || r.status === 'partial',
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}
