import type { RecordType } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import template from './autopilot-status-card.json' with { type: 'json' };
import { cardText } from './card-text.js';
import type { AutopilotRuleKind } from './email-card-view.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { formatDate } from './labels.js';

export interface AutopilotRuleRow {
  kind: AutopilotRuleKind;
  /** The address, conversation or mailbox the rule matches. */
  match: string;
  mailbox: string;
  /** Empty for a mailbox rule: it saves to each sender's own match. */
  targets: Array<{ recordType: RecordType; recordName: string }>;
  ownerName: string;
  createdAt: string;
}

export interface AutopilotStatusOptions {
  /** The mailbox the status was asked for, when one was. */
  mailbox?: string;
  /** Why rules are paused (an expired or invalid license key), when they are. */
  pausedReason?: string;
  timeZone?: string;
}

/** A long list is cut; the Dashboard has all of them. */
const MAX_RULES = 25;

function heading(rule: AutopilotRuleRow): string {
  const match = cardText(rule.match, 200);
  switch (rule.kind) {
    case 'address':
      return `Sender: ${match}`;
    case 'thread':
      return `Thread: ${match}`;
    case 'mailbox':
      return `Whole mailbox: ${match}`;
  }
}

function targets(rule: AutopilotRuleRow): string {
  if (rule.targets.length === 0) return "each sender's NetSuite match (contact, customer, vendor or partner)";
  return rule.targets.map((t) => `${cardText(t.recordName, 120)} (${recordTypeLabel(t.recordType)})`).join('; ');
}

/** The answer to /autopilot status: every rule with its kind, match, targets, owner and creation date. */
export function autopilotStatusCard(rules: AutopilotRuleRow[], opts: AutopilotStatusOptions = {}): CardJson {
  const where = opts.mailbox === undefined ? '' : ` for ${cardText(opts.mailbox, 200)}`;
  const shown = rules.slice(0, MAX_RULES);
  return expandTemplate(template, {
    title: `Autopilot rules${where}`,
    hasPaused: opts.pausedReason !== undefined,
    paused: `Autopilot is paused: ${cardText(opts.pausedReason ?? '', 300)} Rules are kept and resume when it is fixed.`,
    isEmpty: rules.length === 0,
    empty: `No autopilot rules${where}. Turn one on with /autopilot on sales@, or with Autopilot on an email card.`,
    rules: shown.map((r) => ({
      heading: heading(r),
      mailbox: cardText(r.mailbox, 200),
      targets: targets(r),
      owner: cardText(r.ownerName, 80),
      created: formatDate(r.createdAt, opts.timeZone),
    })),
    hasMore: rules.length > shown.length,
    more: `…and ${rules.length - shown.length} more. The Dashboard tab lists them all.`,
  });
}
