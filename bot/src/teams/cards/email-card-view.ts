import type { Email, MailboxKind } from '../../core/email.js';
import type { RecordRef, RecordSuggestion, RecordType } from '../../core/ports.js';

/** Where one email was (or is being) saved in NetSuite, as the card shows it to everyone. */
export interface CardAssociation {
  id: string;
  recordType: RecordType;
  recordName: string;
  recordUrl: string;
  savedByName: string;
  savedAt: string;
  status: 'pending' | 'saved' | 'partial' | 'failed';
  mode: 'one-time' | 'autopilot';
  /** Who turned on the autopilot rule that saved it (mode autopilot). */
  ruleOwnerName?: string;
  /** Plain-language reason, for status failed. */
  errorMessage?: string;
  /** What happened to the attachments, for status partial: "report.pdf was over 10 MB and was not saved". */
  attachmentNote?: string;
  /** Retry can help: the save failed, or some of its attachments did (core's canRetry). */
  canRetry?: boolean;
}

export type CardSuggestions =
  | { state: 'loading' }
  | { state: 'ready'; items: RecordSuggestion[] }
  | { state: 'unavailable'; reason: string };

export interface CardClaim {
  /** AAD object id: who the claimer is. */
  userId: string;
  userName: string;
  claimedAt: string;
  /** Teams user id (MRI, `29:…`): whom Teams refreshes the card for. Null for claims stored without one. */
  userMri: string | null;
}

export type AutopilotRuleKind = 'address' | 'thread' | 'mailbox';

export type CardAutopilot =
  | { state: 'on'; ruleKind: AutopilotRuleKind; ownerName: string }
  | { state: 'paused'; reason: string }
  | null;

/** Everything the email card shows. The card is a pure function of this (and of who looks at it). */
export interface EmailCardView {
  email: Email;
  mailbox: { address: string; displayName: string; kind: MailboxKind };
  associations: CardAssociation[];
  suggestions: CardSuggestions;
  /** The records this mailbox's team saved to lately, newest first: static choices for clients without typeahead. */
  recentRecords?: RecordRef[];
  claim: CardClaim | null;
  autopilot: CardAutopilot;
  /** A line about autopilot for this email, such as "No NetSuite match, save it by hand". */
  autopilotNote?: string;
  netsuite: { configured: true } | { configured: false; remedy: string };
  /** IANA zone for the times on the card; UTC when absent. */
  timeZone?: string;
}

export interface CardViewer {
  userId: string;
  /** What this viewer's "Find a record" found: offered first in their picker, for this answer only. */
  found?: { query: string; records: RecordRef[] };
  /** Words for this viewer at the top of the card: why they see it afresh ("This card was out of date…"). */
  notice?: string;
}
