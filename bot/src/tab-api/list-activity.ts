import { type Kysely, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import { blank, decodeCursor, encodeCursor, endOfDay, idOrPartOfName, isoDate, pageSize } from './cursor.js';
import type { Page } from './list-associations.js';
import { mailboxCondition, type ViewerScope } from './viewer-scope.js';

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
  /** The JSON the audit log keeps, as stored. */
  detail: string | null;
  /** What happened, in words: "saved "Invoice 4417" to customer Fabrikam Inc (one-time)". */
  summary: string;
}

type Detail = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const quoted = (v: unknown) => (str(v) ? `"${str(v)}"` : 'an email');

function recordName(v: unknown): string {
  const r = (v ?? {}) as { type?: unknown; name?: unknown; id?: unknown };
  return [str(r.type), str(r.name) || str(r.id)].filter(Boolean).join(' ');
}

function ruleMatch(d: Detail, ruleId: string): string {
  if (d.kind === 'mailbox') return `all mail to ${str(d.mailbox)}`;
  if (d.kind === 'thread') return `a thread in ${str(d.mailbox)}`;
  if (d.kind === 'address') return `mail from ${str(d.matchValue)} in ${str(d.mailbox)}`;
  return `rule ${ruleId}`;
}

/** One audit row in words; falls back to the action and subject for rows this version does not know. */
export function summarize(action: string, subject: string, detail: Detail, emailSubject: string | null): string {
  const email = quoted(emailSubject ?? detail.subjectLine ?? detail.subject);
  switch (action) {
    case 'save': {
      const how = detail.mode === 'autopilot' ? 'by autopilot' : 'one-time';
      const to = recordName(detail.record);
      return `saved ${email}${to ? ` to ${to}` : ''} (${how})`;
    }
    case 'claim':
      return `claimed ${email}`;
    case 'release':
      return `released ${email}`;
    case 'rule_on':
      return `turned autopilot on for ${ruleMatch(detail, subject)}`;
    case 'rule_off':
      return `turned off ${str(detail.owner) ? `${str(detail.owner)}'s ` : ''}autopilot for ${ruleMatch(detail, subject)}`;
    case 'license_assign':
      return `gave ${subject} a license seat${detail.seats ? ` (${str(detail.used)} of ${str(detail.seats)} in use)` : ''}`;
    case 'license_unassign':
      return `took the license seat from ${subject}`;
    case 'license_key':
      return `installed a license key: ${str(detail.seats)} seats until ${str(detail.expiresAt).slice(0, 10)}`;
    case 'watch':
      if (detail.forAutopilot === true) return `watched ${subject} for autopilot, with no channel cards`;
      return `watched ${subject} in ${str(detail.channel) || 'a channel'}`;
    case 'move':
      return `moved ${subject} from ${str(detail.from) || 'another channel'} to ${str(detail.to) || 'a channel'}`;
    case 'unwatch':
      return `stopped watching ${subject}`;
    case 'retry_jobs': {
      const n = Number(detail.queued);
      return `queued ${n === 1 ? '1 failed email job' : `${str(detail.queued)} failed email jobs`} of ${subject} again`;
    }
    default:
      return `${action.replaceAll('_', ' ')} ${subject}`;
  }
}

function parseDetail(json: string | null): Detail {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Detail) : {};
  } catch {
    return {};
  }
}

/**
 * Which audit rows the caller sees, for one who is not an admin of every mailbox: what they did, and what was done
 * to a mailbox they reach (core/team-reach.ts), found by the row's subject: an email (saves, claims), a rule
 * (rule_on, rule_off) or the mailbox's address (watch, unwatch, seats, Try again). A tenant's license key, and a
 * Teams message's save, name no mailbox: their doer's and admins' only.
 */
async function activityScope(db: Kysely<Database>, tenantId: string, scope: ViewerScope) {
  const reach = mailboxCondition(scope);
  if (!reach) return null;
  const mine = sql<SqlBool>`l.actor_id = ${scope.oid}`;
  const mailboxes = await db
    .selectFrom('mailboxes')
    .where('tenant_id', '=', tenantId)
    .where(reach)
    .select(['id', 'address'])
    .execute();
  if (mailboxes.length === 0) return mine;
  const ids = sql.join(mailboxes.map((m) => m.id));
  const addresses = sql.join([...new Set(mailboxes.map((m) => m.address))]);
  return sql<SqlBool>`(${mine} or e.mailbox_id in (${ids}) or l.subject in (${addresses}) or exists (select 1 from autopilot_rules r where r.tenant_id = ${tenantId} and r.id = l.subject and r.mailbox_id in (${ids})))`;
}

/** The audit log, newest first, keyset-paged over (at, id), limited to the caller's `scope`. */
export async function listActivity(
  db: Kysely<Database>,
  tenantId: string,
  f: ActivityQuery,
  scope: ViewerScope,
): Promise<Page<ActivityRow>> {
  const reach = await activityScope(db, tenantId, scope);
  let q = db
    .selectFrom('audit_log as l')
    // Saves and claims name an email by id; its subject line makes the row readable.
    .leftJoin('emails as e', (j) => j.onRef('e.id', '=', 'l.subject').on('e.tenant_id', '=', tenantId))
    .where('l.tenant_id', '=', tenantId)
    .selectAll('l')
    .select('e.subject as email_subject');
  if (reach) q = q.where(reach);
  if (f.action) q = q.where('l.action', '=', f.action);
  if (f.actor) q = q.where(idOrPartOfName('l.actor_id', 'l.actor_name', f.actor));
  if (f.from) q = q.where('l.at', '>=', f.from);
  if (f.to) q = q.where('l.at', '<=', endOfDay(f.to));
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    const id = Number(c.id);
    q = q.where((eb) => eb.or([eb('l.at', '<', c.at), eb.and([eb('l.at', '=', c.at), eb('l.id', '<', id)])]));
  }
  const rows = await q
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
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
      summary: summarize(r.action, r.subject, parseDetail(r.detail), r.email_subject),
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ at: last.at, id: Number(last.id) }) : null,
  };
}
