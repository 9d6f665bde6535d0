import type { Actor } from './audit.js';
import { type AutopilotRule, type RuleKind, ruleLabel } from './autopilot-rules.js';
import type { Email } from './email.js';
import { MailroomError } from './errors.js';
import type { RecordRef, UnitOfWork, WorkPorts } from './ports.js';
import { refreshRuleCards } from './rule-cards.js';
import { insertSaves, refreshCards, type SaveRequestResult } from './save.js';

export type { AutopilotRule, RuleKind } from './autopilot-rules.js';

/** Says whether autopilot may run for an address; throws the refusal that says what to do. */
export interface SeatCheck {
  requireSeat(tenantId: string, subject: string): Promise<void>;
}

export interface TurnOnInput {
  tenantId: string;
  kind: RuleKind;
  /** The watched mailbox; for `/autopilot on me`, the person's own mailbox. Its address needs the seat. */
  mailbox: { id: string; address: string };
  /** conversationId for a thread, the address for an address rule; ignored for a mailbox rule. */
  matchValue: string;
  targets: RecordRef[];
  owner: Actor;
  /**
   * The email the rule was turned on from (a card's Autopilot button): it is saved to the targets by the owner,
   * and every copy's card refreshed to show the rule, in the rule's own unit of work.
   */
  applyTo?: Pick<Email, 'id' | 'internetMessageId'>;
}

export interface RuleChange {
  rule: AutopilotRule;
  /** False when the same rule was on already (turn on) or off already (turn off). */
  changed: boolean;
  message: string;
}

/**
 * Turning rules on and off. Every change is audited; only the owner or an admin turns a rule off. Each change runs
 * in one unit of work: the rule, its audit entry and the jobs it queues (saves, card updates) commit together, or
 * none of them does. Every way to turn a rule off (Dashboard, `/autopilot off`) comes through `turnOff` here.
 */
export class AutopilotService {
  constructor(private readonly deps: { uow: UnitOfWork; seats: SeatCheck; clock: () => Date }) {}

  async turnOnRule(input: TurnOnInput): Promise<RuleChange & { saves?: SaveRequestResult }> {
    const matchValue = normalizeMatch(input.kind, input.matchValue);
    const targets = input.kind === 'mailbox' ? [] : input.targets;
    if (input.kind !== 'mailbox' && targets.length === 0) {
      throw new MailroomError('bad_request', 'Autopilot needs at least one NetSuite record to save to.', {
        remedy: 'Pick one or more records on the card, then choose Autopilot again.',
      });
    }
    // Autopilot on a mailbox (of any kind of rule) needs that mailbox's seat; one-time saves need none.
    await this.deps.seats.requireSeat(input.tenantId, input.mailbox.address);
    return this.deps.uow.run(async (tx) => {
      const existing = await tx.rules.findActive(input.tenantId, input.mailbox.id, input.kind, matchValue);
      const rule =
        existing ??
        (await tx.rules.create({
          tenantId: input.tenantId,
          mailboxId: input.mailbox.id,
          kind: input.kind,
          matchValue,
          targets,
          owner: input.owner,
        }));
      if (!existing) {
        await tx.audit.record({
          tenantId: input.tenantId,
          actor: input.owner,
          action: 'rule_on',
          subject: rule.id,
          detail: { kind: rule.kind, mailbox: input.mailbox.address, matchValue, targets },
        });
        // Every posted card the rule matches says so from now on, as turning it off takes the line away again.
        await refreshRuleCards(tx, rule);
      }
      const saves = input.applyTo ? await this.apply(tx, input.applyTo, input, rule) : undefined;
      const message = existing
        ? `Autopilot for ${ruleLabel(existing)} is already on (turned on by ${existing.ownerName}).`
        : `Autopilot is on for ${ruleLabel(rule)}.`;
      return { rule, changed: !existing, message, ...(saves ? { saves } : {}) };
    });
  }

  /** The email the rule came from is saved now; its cards show the rule even when no save was new. */
  private async apply(
    tx: WorkPorts,
    email: Pick<Email, 'id' | 'internetMessageId'>,
    input: TurnOnInput,
    rule: AutopilotRule,
  ): Promise<SaveRequestResult> {
    const saves = await insertSaves(
      tx,
      this.deps.clock(),
      { id: email.id, key: email.internetMessageId },
      { tenantId: input.tenantId, records: input.targets, actor: input.owner, mode: 'autopilot', ruleId: rule.id },
    );
    await refreshCards(tx, input.tenantId, email.internetMessageId);
    return saves;
  }

  async turnOffRule(rule: AutopilotRule, actor: Actor, isAdmin: boolean): Promise<RuleChange> {
    return this.deps.uow.run((tx) => turnOff(tx, rule, actor, isAdmin));
  }

  /** `/autopilot off sales@`: the mailbox rule of that mailbox. */
  async turnOffMailbox(input: {
    tenantId: string;
    mailbox: { id: string; address: string };
    actor: Actor;
    isAdmin: boolean;
  }): Promise<RuleChange | { rule: null; changed: false; message: string }> {
    return this.deps.uow.run(async (tx) => {
      const rule = await tx.rules.findActive(input.tenantId, input.mailbox.id, 'mailbox', '');
      if (!rule) {
        return { rule: null, changed: false as const, message: `Autopilot is not on for ${input.mailbox.address}.` };
      }
      return turnOff(tx, rule, input.actor, input.isAdmin);
    });
  }
}

async function turnOff(tx: WorkPorts, rule: AutopilotRule, actor: Actor, isAdmin: boolean): Promise<RuleChange> {
  const label = ruleLabel(rule);
  if (rule.ownerId !== actor.id && !isAdmin) {
    throw new MailroomError(
      'rule_not_owner',
      `Autopilot for ${label} was turned on by ${rule.ownerName}; only ${rule.ownerName} or an admin can turn it off.`,
      { remedy: `Ask ${rule.ownerName} or a Mailroom admin to turn it off.` },
    );
  }
  const changed = await tx.rules.turnOff(rule.tenantId, rule.id, actor);
  if (!changed) return { rule, changed, message: `Autopilot for ${label} is already off.` };
  await tx.audit.record({
    tenantId: rule.tenantId,
    actor,
    action: 'rule_off',
    subject: rule.id,
    detail: { kind: rule.kind, mailbox: rule.mailboxAddress, matchValue: rule.matchValue, owner: rule.ownerName },
  });
  // The cards that said "Autopilot is on" for this rule stop saying so, in the same commit as the rule.
  await refreshRuleCards(tx, rule);
  const off = await tx.rules.get(rule.tenantId, rule.id);
  return { rule: off ?? rule, changed, message: `Autopilot for ${label} is off.` };
}

function normalizeMatch(kind: RuleKind, value: string): string {
  if (kind === 'mailbox') return '';
  if (kind === 'address') return value.trim().toLowerCase();
  return value;
}
