import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { type AssociationStatus, canRetry } from '../core/associations.js';
import { attachmentNote } from '../core/attachment-note.js';
import type { Engine } from '../store/db.js';
import { attachmentsOf } from '../store/repos/associations.js';
import type { Database } from '../store/schema.js';
import { blank, decodeCursor, encodeCursor, endOfDay, idOrPartOfName, isoDate, pageSize, teamParam } from './cursor.js';
import { type From, isShort, matchesAll, searchTerms, shortWordsCopy } from './search-terms.js';
import { byCaller, scopeCondition, type ViewerScope } from './viewer-scope.js';

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
  team: teamParam,
});

export type AssociationsQuery = z.infer<typeof associationsQuery>;

export interface AssociationRow {
  id: string;
  createdAt: string;
  subject: string;
  from: { name: string; address: string };
  /** The mailbox of a saved email; null for a Teams message saved from the messaging extension. */
  mailbox: { id: string; address: string } | null;
  record: { type: string; id: string; name: string; url: string };
  savedBy: { id: string; name: string };
  mode: string;
  status: string;
  error: { code: string; message: string } | null;
  /** The email in Outlook, or the Teams message in Teams. */
  outlookUrl: string;
  canRetry: boolean;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Newest first, filtered, keyset-paged; every row belongs to `tenantId` and to the caller's `scope`. */
export async function listAssociations(
  db: Kysely<Database>,
  engine: Engine,
  tenantId: string,
  f: AssociationsQuery,
  recordUrl: (type: string, id: string) => string,
  scope: ViewerScope,
): Promise<Page<AssociationRow>> {
  let query = db
    .selectFrom('associations as a')
    // A save is of an email in a mailbox, or of a Teams message (the messaging extension's): one of the two joins.
    .leftJoin('emails as e', (j) => j.onRef('e.id', '=', 'a.email_id').on('e.tenant_id', '=', tenantId))
    .leftJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'e.mailbox_id').on('m.tenant_id', '=', tenantId))
    .leftJoin('teams_messages as t', (j) => j.onRef('t.id', '=', 'a.email_id').on('t.tenant_id', '=', tenantId))
    .where('a.tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('m.id', 'is not', null), eb('t.id', 'is not', null)]))
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
      'a.attachments_json',
      (eb) => eb.fn.coalesce('e.subject', 't.subject').as('subject'),
      (eb) => eb.fn.coalesce('e.from_name', 't.author_name').as('from_name'),
      (eb) => eb.fn.coalesce('e.from_address', 't.author_address').as('from_address'),
      (eb) => eb.fn.coalesce('e.web_link', 't.web_link', sql.lit('')).as('web_link'),
      'm.id as mailbox_id',
      'm.address as mailbox_address',
    ]);
  // A Teams message's save has no mailbox (m is null): only its saver and admins see it.
  const reach = scopeCondition(scope, 'm.team_group_id', byCaller(scope, 'a.saved_by_id'));
  if (reach) query = query.where(reach);
  const terms = searchTerms(f.q);
  if (terms.length > 0) query = query.where(matchesAll(engine, terms));
  const mailbox = f.mailbox;
  if (mailbox)
    query = query.where((eb) => eb.or([eb('m.id', '=', mailbox), eb('m.address', '=', mailbox.toLowerCase())]));
  if (f.savedBy) query = query.where(idOrPartOfName('a.saved_by_id', 'a.saved_by_name', f.savedBy));
  const team = f.team;
  if (team) query = query.where((eb) => eb.or([eb('m.team_id', '=', team), eb('t.team_id', '=', team)]));
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
  const ordered = query
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.limit + 1);
  const rows = await (engine === 'sqlite' && terms.length > 0 && terms.every(isShort)
    ? shortWordsOnly((narrow) => (narrow ? ordered.where(narrow) : ordered).execute(), db, terms)
    : ordered.execute());
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      subject: r.subject ?? '',
      from: { name: r.from_name ?? '', address: r.from_address ?? '' },
      mailbox:
        r.mailbox_id !== null && r.mailbox_address !== null ? { id: r.mailbox_id, address: r.mailbox_address } : null,
      record: { type: r.record_type, id: r.record_id, name: r.record_name, url: recordUrl(r.record_type, r.record_id) },
      savedBy: { id: r.saved_by_id, name: r.saved_by_name },
      mode: r.mode,
      status: r.status,
      error: r.error_code
        ? { code: r.error_code, message: r.error_message ?? '' }
        : r.status === 'partial'
          ? {
              code: 'attachments_not_saved',
              message: `Some attachments were not saved: ${partialNote(r.attachments_json)}`,
            }
          : null,
      outlookUrl: r.web_link ?? '',
      canRetry: canRetry({ status: r.status as AssociationStatus, attachments: attachmentsOf(r.attachments_json) }),
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}

/** Up to how many saves a short word may match for them to be fetched by id (SQLite). */
const FEW = 500;

/**
 * SQLite, a search whose words are all under three characters, which no index serves. The search copy (one short
 * row per save, `shortWordsCopy`) is read first, up to FEW + 1 matches: a common word stops that read early, and
 * then the usual newest-first scan fills a page at once. A rare word, or one that matches nothing, is read to the
 * end, and its few saves are fetched by id, instead of each save being joined to its email to be tested.
 */
async function shortWordsOnly<R extends unknown[]>(
  run: (narrow?: (eb: ExpressionBuilder<From, 'a'>) => Expression<SqlBool>) => Promise<R>,
  db: Kysely<Database>,
  terms: string[],
): Promise<R | []> {
  const few = await shortWordsCopy(db, terms, FEW + 1);
  if (few.length > FEW) return run();
  if (few.length === 0) return [];
  return run((eb) => eb('a.id', 'in', few));
}

/** What a partial save left out, with each reason (the same words as the card). */
function partialNote(json: string | null): string {
  try {
    const list = JSON.parse(json ?? '[]') as Array<{ name: string; status: string; reason?: string }>;
    return attachmentNote(list) || 'see the record';
  } catch {
    return 'see the record';
  }
}
