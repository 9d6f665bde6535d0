import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import { blank, teamParam } from './cursor.js';
import { adminByTeam, type TabIdentity } from './identity.js';
import { byCaller, scopeCondition, type ViewerScope } from './viewer-scope.js';

export const rulesQuery = z.object({
  state: z.preprocess(blank, z.enum(['on', 'off', 'all']).default('on')),
  team: teamParam,
});

export interface RuleTarget {
  type: string;
  id: string;
  name: string;
}

export interface RuleRow {
  id: string;
  kind: string;
  /** What the rule matches, in words a person reads: the thread, the address or the mailbox. */
  match: string;
  mailbox: { id: string; address: string };
  targets: RuleTarget[];
  owner: { id: string; name: string };
  createdAt: string;
  active: boolean;
  turnedOff: { by: string; at: string } | null;
  /** True when this caller may turn the rule off (its owner, an owner of the mailbox's team or a Mailroom admin) and it is on. */
  canTurnOff: boolean;
}

function parseTargets(json: string): RuleTarget[] {
  try {
    const v: unknown = JSON.parse(json);
    if (!Array.isArray(v)) return [];
    return v.flatMap((t: unknown) => {
      if (typeof t !== 'object' || t === null) return [];
      const o = t as Record<string, unknown>;
      return [{ type: String(o.type ?? ''), id: String(o.id ?? ''), name: String(o.name ?? o.id ?? '') }];
    });
  } catch {
    // A damaged JSON column shows as "no targets" rather than failing the whole list.
    return [];
  }
}

export function canTurnOff(rule: { owner_id: string; active: number }, identity: TabIdentity, admin: boolean): boolean {
  return rule.active === 1 && (rule.owner_id === identity.oid || admin);
}

export async function listRules(
  db: Kysely<Database>,
  identity: TabIdentity,
  /** Whether the caller is an admin for the rules of a mailbox whose team has this group id. */
  adminFor: (teamGroupId: string | null) => Promise<boolean>,
  state: 'on' | 'off' | 'all',
  scope: ViewerScope,
  team?: string,
): Promise<RuleRow[]> {
  let q = db
    .selectFrom('autopilot_rules as r')
    .innerJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'r.mailbox_id').on('m.tenant_id', '=', identity.tid))
    .where('r.tenant_id', '=', identity.tid)
    .selectAll('r')
    .select(['m.address as mailbox_address', 'm.team_group_id']);
  if (state !== 'all') q = q.where('r.active', '=', state === 'on' ? 1 : 0);
  if (team) q = q.where('m.team_id', '=', team);
  const reach = scopeCondition(scope, 'm.team_group_id', byCaller(scope, 'r.owner_id'));
  if (reach) q = q.where(reach);
  const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute();
  const threads = rows.filter((r) => r.kind === 'thread');
  const subjects = await threadSubjects(
    db,
    identity.tid,
    threads.map((r) => r.mailbox_id),
    threads.map((r) => r.match_value),
  );
  const admin = await adminByTeam(
    rows.filter((r) => r.active === 1 && r.owner_id !== identity.oid).map((r) => r.team_group_id),
    adminFor,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    match: describeMatch(r.kind, r.match_value, r.mailbox_address, subjects),
    mailbox: { id: r.mailbox_id, address: r.mailbox_address },
    targets: parseTargets(r.targets_json),
    owner: { id: r.owner_id, name: r.owner_name },
    createdAt: r.created_at,
    active: r.active === 1,
    turnedOff: r.turned_off_at ? { by: r.turned_off_by ?? '', at: r.turned_off_at } : null,
    canTurnOff: canTurnOff(r, identity, admin.get(r.team_group_id ?? '') ?? false),
  }));
}

function describeMatch(kind: string, value: string, mailbox: string, subjects: Map<string, string>): string {
  if (kind === 'mailbox') return `all mail to ${mailbox}`;
  if (kind === 'thread') {
    const subject = subjects.get(value);
    return subject ? `thread "${subject}"` : `thread ${value}`;
  }
  return value;
}

/**
 * A thread rule stores Graph's conversationId; people know the thread by its subject. The rules' mailboxes are in
 * the condition so that emails_conversation_ix (tenant, mailbox, conversation) finds the emails: by tenant and
 * conversation alone it could only narrow to the tenant, and read every email.
 */
async function threadSubjects(
  db: Kysely<Database>,
  tenantId: string,
  mailboxIds: string[],
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('emails')
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', 'in', [...new Set(mailboxIds)])
    .where('conversation_id', 'in', [...new Set(ids)])
    .select(['conversation_id', 'subject', 'received_at'])
    .orderBy('received_at', 'asc')
    .execute();
  const map = new Map<string, string>();
  for (const r of rows) if (!map.has(r.conversation_id)) map.set(r.conversation_id, r.subject);
  return map;
}
