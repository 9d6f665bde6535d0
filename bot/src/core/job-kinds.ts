import { z } from 'zod';

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

export const IngestPayload = z.object({
  mailboxId: z.string().min(1),
  messageId: z.string().min(1),
  subscriptionId: z.string().optional(),
});
export type IngestPayload = z.infer<typeof IngestPayload>;

export const EmailPayload = z.object({ emailId: z.string().min(1) });
export type EmailPayload = z.infer<typeof EmailPayload>;

export const SavePayload = z.object({ associationId: z.string().min(1) });
export type SavePayload = z.infer<typeof SavePayload>;

/**
 * What a subscription job does: the scheduled PATCH, a reauthorization, creating it again, or checking that
 * Graph still has it (at start and on every upkeep pass).
 */
export const RenewPayload = z.object({
  subscriptionId: z.string().min(1),
  mailboxId: z.string().min(1),
  action: z.enum(['renew', 'reauthorize', 'recreate', 'verify']),
});
export type RenewPayload = z.infer<typeof RenewPayload>;

export const CatchupPayload = z.object({
  mailboxId: z.string().min(1),
  /** Why it runs (startup, schedule, missed, subscriptionRemoved, recreated), for logs. */
  reason: z.string(),
});
export type CatchupPayload = z.infer<typeof CatchupPayload>;

export type JobKindName = (typeof JobKind)[keyof typeof JobKind];

/** The payload schema of every kind: a job whose payload does not match fails at once, with the mismatch kept. */
export const jobPayloads = {
  [JobKind.ingest]: IngestPayload,
  [JobKind.postCard]: EmailPayload,
  [JobKind.updateCard]: EmailPayload,
  [JobKind.suggest]: EmailPayload,
  [JobKind.save]: SavePayload,
  [JobKind.category]: EmailPayload,
  [JobKind.renew]: RenewPayload,
  [JobKind.catchup]: CatchupPayload,
  [JobKind.autopilotApply]: EmailPayload,
} satisfies Record<JobKindName, z.ZodTypeAny>;

/**
 * The kinds whose job does one thing for one email (its payload names only the email): their failures belong to the
 * email's mailbox, which the Dashboard finds through the email.
 */
export const EMAIL_JOB_KINDS = (Object.keys(jobPayloads) as JobKindName[]).filter(
  (k) => jobPayloads[k] === EmailPayload,
);

/**
 * The email job kinds a Mailroom admin may run again once they failed for good (the Dashboard's Try again), because
 * a second run changes nothing the first one did:
 * - card.post does nothing when the email has a card (teams/card-jobs.ts), and replies in the thread it finds;
 * - card.update and card.suggest write the card and the suggestions as they are now, over the old ones;
 * - mail.category reads the message's categories and adds the category only when it is missing;
 * - autopilot.apply saves through the saves' unique (email, record) key, so a save made already is not made again.
 * A kind added to EMAIL_JOB_KINDS is not here until someone has checked the same of it.
 */
export const RERUNNABLE_EMAIL_JOB_KINDS: readonly JobKindName[] = [
  JobKind.postCard,
  JobKind.updateCard,
  JobKind.suggest,
  JobKind.category,
  JobKind.autopilotApply,
];

export type PayloadOf<K extends JobKindName> = z.infer<(typeof jobPayloads)[K]>;

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

/** The job that posts an email's card: one per email, which its card's updates and its replies' cards wait on. */
export function postCardJob(tenantId: string, emailId: string) {
  const payload: EmailPayload = { emailId };
  return { tenantId, kind: JobKind.postCard, payload, dedupeKey: `${JobKind.postCard}:${emailId}` };
}

/** The job that re-renders an email's card; one waits at a time per email. */
export function updateCardJob(tenantId: string, emailId: string) {
  const payload: EmailPayload = { emailId };
  return { tenantId, kind: JobKind.updateCard, payload, dedupeKey: `${JobKind.updateCard}:${emailId}` };
}
