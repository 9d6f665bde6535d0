/** Every durable job kind, and the payload each carries. */
export const JobKind = {
  /** Fetch a message Graph told us about, dedupe it, and decide what happens to it. */
  ingest: 'mail.ingest',
  /** Post the card of a new email (new thread, or a reply in its conversation's thread). */
  postCard: 'card.post',
  /** Re-render an email's card for everyone after a save, claim or rule change. */
  updateCard: 'card.update',
  /** Look up NetSuite suggestions for a card, then update it. */
  suggest: 'card.suggest',
  /** Save one email to one NetSuite record. */
  save: 'netsuite.save',
  /** Mark the mailbox's copy with the "Saved to NetSuite" category. */
  category: 'mail.category',
  /** Renew a Graph subscription before it expires. */
  renew: 'subscription.renew',
  /** Catch a mailbox up with Graph delta. */
  catchup: 'mail.catchup',
  /** Match a newly stored email against the autopilot rules, and save it where they say. */
  autopilotApply: 'autopilot.apply',
} as const;

export interface IngestPayload {
  mailboxId: string;
  messageId: string;
  subscriptionId?: string;
}

export interface EmailPayload {
  emailId: string;
}

/**
 * What a subscription job does: the scheduled PATCH, a reauthorization, creating it again, or checking that
 * Graph still has it (at start and on every upkeep pass).
 */
export interface RenewPayload {
  subscriptionId: string;
  mailboxId: string;
  action: 'renew' | 'reauthorize' | 'recreate' | 'verify';
}

export interface CatchupPayload {
  mailboxId: string;
  /** Why it runs (startup, schedule, missed, subscriptionRemoved, recreated), for logs. */
  reason: string;
}

/**
 * The ingest job of one Graph message. A notification and a catch-up that find the same message build the same
 * dedupe key, so whichever comes second waits on the first instead of adding a job.
 */
export function ingestJob(tenantId: string, payload: IngestPayload) {
  return {
    tenantId,
    kind: JobKind.ingest,
    payload,
    dedupeKey: `${JobKind.ingest}:${payload.mailboxId}:${payload.messageId}`,
  };
}

/** The job that re-renders an email's card; one waits at a time per email. */
export function updateCardJob(tenantId: string, emailId: string) {
  const payload: EmailPayload = { emailId };
  return { tenantId, kind: JobKind.updateCard, payload, dedupeKey: `${JobKind.updateCard}:${emailId}` };
}
