/** Every durable job kind, and the payload each carries. */
export const JobKind = {
  /** Fetch a message Graph told us about, dedupe it, and decide what happens to it. */
  ingest: 'mail.ingest',
  /** Post the card of a new email (new thread, or a reply in its conversation's thread). */
  postCard: 'card.post',
  /** Re-render an email's card for everyone after a save, claim or rule change. */
  updateCard: 'card.update',
  /** Save one email to one NetSuite record. */
  save: 'netsuite.save',
  /** Mark the mailbox's copy with the "Saved to NetSuite" category. */
  category: 'mail.category',
  /** Renew a Graph subscription before it expires. */
  renew: 'subscription.renew',
  /** Catch a mailbox up with Graph delta. */
  catchup: 'mail.catchup',
} as const;

export interface IngestPayload {
  mailboxId: string;
  messageId: string;
  subscriptionId?: string;
}

export interface EmailPayload {
  emailId: string;
}
