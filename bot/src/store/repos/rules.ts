import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/audit.js';
import type { NewRule, RuleStore } from '../../core/autopilot-rules.js';
import { type AutopilotRule, emailParties, type MatchableEmail, type RuleKind } from '../../core/autopilot-rules.js';
import type { RecordRef } from '../../core/ports.js';
import type { Db } from '../db.js';

/** Autopilot rules, each joined with its mailbox's address for messages and the seat check. */
export class RuleRepo implements RuleStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private select(tenantId: string) {
    return this.db.kysely
      .selectFrom('autopilot_rules as r')
      .leftJoin('mailboxes as m', (j) => j.onRef('m.id', '=', 'r.mailbox_id').onRef('m.tenant_id', '=', 'r.tenant_id'))
      .selectAll('r')
      .select('m.address as mailbox_address')
      .where('r.tenant_id', '=', tenantId);
  }

  async create(rule: NewRule): Promise<AutopilotRule> {
    const id = randomUUID();
    await this.db.kysely
      .insertInto('autopilot_rules')
      .values({
        id,
        tenant_id: rule.tenantId,
        mailbox_id: rule.mailboxId,
        kind: rule.kind,
        match_value: rule.matchValue,
        targets_json: JSON.stringify(rule.targets),
        owner_id: rule.owner.id,
        owner_name: rule.owner.name,
        created_at: this.clock().toISOString(),
        active: 1,
        turned_off_by: null,
        turned_off_at: null,
      })
      .execute();
    const created = await this.get(rule.tenantId, id);
    // An assert: the row was written in this statement's transaction, so only a defect makes it vanish.
    if (!created) throw new Error(`autopilot rule ${id} vanished after insert`);
    return created;
  }

  async get(tenantId: string, id: string): Promise<AutopilotRule | null> {
    const row = await this.select(tenantId).where('r.id', '=', id).executeTakeFirst();
    return row ? toRule(row) : null;
  }

  async findActive(
    tenantId: string,
    mailboxId: string,
    kind: RuleKind,
    matchValue: string,
  ): Promise<AutopilotRule | null> {
    const row = await this.select(tenantId)
      .where('r.mailbox_id', '=', mailboxId)
      .where('r.active', '=', 1)
      .where('r.kind', '=', kind)
      .where('r.match_value', '=', matchValue)
      .orderBy('r.created_at')
      .executeTakeFirst();
    return row ? toRule(row) : null;
  }

  /** The active rules of one mailbox. */
  async listActive(tenantId: string, mailboxId: string): Promise<AutopilotRule[]> {
    const rows = await this.select(tenantId)
      .where('r.mailbox_id', '=', mailboxId)
      .where('r.active', '=', 1)
      .orderBy('r.created_at')
      .execute();
    return rows.map(toRule);
  }

  /** The active rules that could match an email; core's matchRules picks the winner. */
  async findMatching(tenantId: string, email: MatchableEmail): Promise<AutopilotRule[]> {
    const parties = [...emailParties(email)];
    const rows = await this.select(tenantId)
      .where('r.mailbox_id', '=', email.mailboxId)
      .where('r.active', '=', 1)
      .where((eb) => {
        const ors = [
          eb('r.kind', '=', 'mailbox'),
          eb.and([eb('r.kind', '=', 'thread'), eb('r.match_value', '=', email.conversationId)]),
        ];
        if (parties.length > 0) ors.push(eb.and([eb('r.kind', '=', 'address'), eb('r.match_value', 'in', parties)]));
        return eb.or(ors);
      })
      .orderBy('r.created_at')
      .execute();
    return rows.map(toRule);
  }

  async turnOff(tenantId: string, id: string, by: Actor): Promise<boolean> {
    const result = await this.db.kysely
      .updateTable('autopilot_rules')
      .set({ active: 0, turned_off_by: by.name, turned_off_at: this.clock().toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** For `/autopilot status` and the Dashboard: the active rules, of one mailbox or all, with owners and targets. */
  async listForStatus(tenantId: string, opts: { mailboxId?: string } = {}): Promise<AutopilotRule[]> {
    let q = this.select(tenantId).where('r.active', '=', 1);
    if (opts.mailboxId) q = q.where('r.mailbox_id', '=', opts.mailboxId);
    const rows = await q.orderBy('m.address').orderBy('r.created_at').execute();
    return rows.map(toRule);
  }
}

interface RuleRow {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  kind: string;
  match_value: string;
  targets_json: string;
  owner_id: string;
  owner_name: string;
  created_at: string;
  active: number;
  turned_off_by: string | null;
  turned_off_at: string | null;
  mailbox_address: string | null;
}

function toRule(r: RuleRow): AutopilotRule {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    mailboxId: r.mailbox_id,
    mailboxAddress: r.mailbox_address ?? '',
    kind: r.kind as RuleKind,
    matchValue: r.match_value,
    targets: JSON.parse(r.targets_json) as RecordRef[],
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    createdAt: r.created_at,
    active: r.active === 1,
    turnedOffBy: r.turned_off_by,
    turnedOffAt: r.turned_off_at,
  };
}
