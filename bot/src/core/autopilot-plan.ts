import { type AutopilotRule, type MatchableEmail, matchRules } from './autopilot-rules.js';
import type { Email } from './email.js';
import { type AutopilotLicense, pausedReason } from './licenses-messages.js';
import type { RecordRef } from './ports.js';

export interface AutopilotPlan {
  rule: AutopilotRule;
  /** The records to save to, or the sender's NetSuite match (contact ▸ customer ▸ vendor ▸ partner). */
  targets: RecordRef[] | 'sender-match';
  /** Set when the rule matched but autopilot may not run: the words a card shows. Rules are kept. */
  paused?: string;
}

/**
 * What autopilot does with one email: nothing (null), save to the winning rule's targets, or nothing yet because
 * the license pauses it. Pure, so the pipeline and the tests call it with plain values.
 */
export function planAutopilot(
  email: MatchableEmail & Pick<Email, 'isDraft'>,
  rules: readonly AutopilotRule[],
  /** LicenseService.autopilotLicense(tenantId, mailbox address). */
  license: AutopilotLicense,
): AutopilotPlan | null {
  if (email.isDraft) return null;
  const rule = matchRules(email, rules);
  if (!rule) return null;
  const targets: AutopilotPlan['targets'] = rule.kind === 'mailbox' ? 'sender-match' : rule.targets;
  const paused = pausedReason(license, license.subject, license.seated);
  return paused === null ? { rule, targets } : { rule, targets, paused };
}
