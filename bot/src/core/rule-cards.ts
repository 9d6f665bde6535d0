import { type AutopilotRule, matchRules } from './autopilot-rules.js';
import { updateCardJob } from './job-kinds.js';
import type { WorkPorts } from './ports.js';

/**
 * How many of a rule's newest cards a change re-renders. A mailbox rule matches every email of its mailbox, and
 * each update is a Bot Connector call paced per thread, so the oldest cards of a busy mailbox keep their last state.
 */
export const RULE_CARDS_REFRESHED = 200;

/**
 * Queues an update of every posted card that shows `rule` (its mailbox's emails the rule matches), in the caller's
 * unit of work, when the rule is turned on or off: the cards then say what the rule says now. The rule is matched as
 * it is while on.
 */
export async function refreshRuleCards(tx: Pick<WorkPorts, 'emails' | 'jobs'>, rule: AutopilotRule): Promise<void> {
  const narrow =
    rule.kind === 'thread'
      ? { conversationId: rule.matchValue }
      : rule.kind === 'address'
        ? { party: rule.matchValue }
        : {};
  const asOn = { ...rule, active: true };
  for (const email of await tx.emails.withCards(rule.tenantId, rule.mailboxId, narrow, RULE_CARDS_REFRESHED)) {
    if (matchRules(email, [asOn])) await tx.jobs.enqueue(updateCardJob(rule.tenantId, email.id));
  }
}
