import type { RecordType } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import type { CardJson } from './expand-template.js';
import { noticeCard } from './notice-card.js';

/**
 * The fixed answers the issues spell out word for word, so every handler says them the same way.
 * All go through noticeCard, which escapes the names in them.
 */

/** The words of a second claim: "Already claimed by Ana", who is replying, and what to do instead. */
export function alreadyClaimedWords(claimerName: string) {
  return {
    title: `Already claimed by ${claimerName}`,
    text: `${claimerName} is replying to this email privately.`,
    remedy: `If you need to reply instead, ask ${claimerName} to release it.`,
  };
}

/** A second claim, as a card of its own. The email's card itself stays as it is. */
export function alreadyClaimedCard(claimerName: string): CardJson {
  return noticeCard({ ...alreadyClaimedWords(claimerName), tone: 'info' });
}

/** Saving the same email to the same record again creates nothing. */
export function alreadySavedCard(input: { recordName: string; recordType: RecordType; savedByName: string }): CardJson {
  return noticeCard({
    title: `Already saved to ${input.recordName} (${recordTypeLabel(input.recordType)}) by ${input.savedByName}`,
    text: 'Nothing new was created in NetSuite.',
    tone: 'info',
  });
}

/** Someone other than the owner or an admin tried to turn a rule off. */
export function ruleNotOwnerCard(input: { target: string; ownerName: string }): CardJson {
  return noticeCard({
    title: 'Autopilot stays on',
    text: `Autopilot for ${input.target} was turned on by ${input.ownerName}; only ${input.ownerName} or an admin can turn it off.`,
    remedy: `Ask ${input.ownerName} or a Mailroom admin.`,
    tone: 'warning',
  });
}

/** Autopilot needs a seat for the mailbox (or person) it runs on. */
export function noLicenseCard(input: { mailbox: string; used: number; seats: number }): CardJson {
  return noticeCard({
    title: 'No Mailroom license',
    text:
      `${input.mailbox} has no Mailroom license. Ask a Mailroom admin to run /license assign ${input.mailbox} ` +
      `(${input.used} of ${input.seats} seats in use).`,
    remedy: 'One-time saves and claims work without a license.',
    tone: 'warning',
  });
}
