import type { Actor } from './audit.js';
import type { Email } from './email.js';
import type { RecordRef } from './record-ref.js';

export type RuleKind = 'thread' | 'address' | 'mailbox';

export interface AutopilotRule {
  id: string;
  tenantId: string;
  mailboxId: string;
  /** The watched mailbox's address (for messages and the seat check). */
  mailboxAddress: string;
  kind: RuleKind;
  /** conversationId (thread), lower-cased address (address), or '' (mailbox). */
  matchValue: string;
  /** Records to save to; empty for a mailbox rule, which saves to the sender's NetSuite match. */
  targets: RecordRef[];
  ownerId: string;
  ownerName: string;
  createdAt: string;
  active: boolean;
  turnedOffBy: string | null;
  turnedOffAt: string | null;
}

export interface NewRule {
  tenantId: string;
  mailboxId: string;
  kind: RuleKind;
  matchValue: string;
  targets: RecordRef[];
  owner: Actor;
}

/** The autopilot_rules table, from core's point of view. */
export interface RuleStore {
  create(rule: NewRule): Promise<AutopilotRule>;
  get(tenantId: string, id: string): Promise<AutopilotRule | null>;
  findActive(tenantId: string, mailboxId: string, kind: RuleKind, matchValue: string): Promise<AutopilotRule | null>;
  /** The active rules that could match an email (a superset: matchRules picks the winner). */
  findMatching(tenantId: string, email: MatchableEmail): Promise<AutopilotRule[]>;
  /** Records who turned it off and when; false when it was already off. */
  turnOff(tenantId: string, id: string, by: Actor): Promise<boolean>;
}

/** The email fields a rule looks at. */
export type MatchableEmail = Pick<Email, 'mailboxId' | 'conversationId' | 'from' | 'to' | 'cc' | 'isOutgoing'>;

const PRECEDENCE: Record<RuleKind, number> = { thread: 0, address: 1, mailbox: 2 };

/** Every party of an email, lower-cased: the address rule matches either direction. */
export function emailParties(email: Pick<Email, 'from' | 'to' | 'cc'>): Set<string> {
  const all = [email.from, ...email.to, ...email.cc];
  return new Set(all.map((a) => a.address.trim().toLowerCase()).filter((a) => a !== ''));
}

function matches(rule: AutopilotRule, email: MatchableEmail, parties: Set<string>): boolean {
  if (!rule.active || rule.mailboxId !== email.mailboxId) return false;
  switch (rule.kind) {
    case 'thread':
      return rule.matchValue === email.conversationId;
    case 'address':
      return parties.has(rule.matchValue.toLowerCase());
    case 'mailbox':
      // Every email of the mailbox, both ways: incoming mail is saved to its sender's match, and the mailbox's
      // own sent mail to its recipient's, so `/autopilot on me` also files the person's replies.
      return true;
  }
}

/**
 * The rule that decides what autopilot does with an email: thread ▸ address ▸ mailbox, and within one kind the
 * oldest rule, so the answer does not depend on the order rows came back in.
 */
export function matchRules(email: MatchableEmail, rules: readonly AutopilotRule[]): AutopilotRule | null {
  const parties = emailParties(email);
  const hits = rules.filter((r) => matches(r, email, parties));
  hits.sort(
    (a, b) =>
      PRECEDENCE[a.kind] - PRECEDENCE[b.kind] || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  return hits[0] ?? null;
}

/** How a rule is named to people: "sales@contoso.com", "ana@fabrikam.com", or "this thread". */
export function ruleLabel(rule: Pick<AutopilotRule, 'kind' | 'matchValue' | 'mailboxAddress'>): string {
  if (rule.kind === 'mailbox') return rule.mailboxAddress;
  if (rule.kind === 'address') return rule.matchValue;
  return 'this thread';
}
