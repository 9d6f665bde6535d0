import type { Logger } from 'pino';
import { type Email, type Mailbox, sameAddress } from './email.js';
import { postCardJob } from './job-kinds.js';
import type { MailMessage, MailService, UnitOfWork, WorkPorts } from './ports.js';

export interface IngestDeps {
  mail: MailService;
  mailboxes: { byId(tenantId: string, id: string): Promise<Mailbox | null> };
  uow: UnitOfWork;
  clock: () => Date;
  /**
   * Called for every email newly stored, inside its unit of work (autopilot planning hooks in here): what it reads
   * sees the email's transaction, and the jobs it enqueues commit with the email, or not at all.
   */
  onNewEmail?: (email: Email, tx: WorkPorts, log: Logger) => Promise<void>;
}

export type IngestOutcome = 'card' | 'duplicate' | 'draft' | 'outgoing' | 'no-channel' | 'gone' | 'unwatched';

/** A mail the mailbox itself sent: it makes no card, but autopilot may still save it. */
function isSentByMailbox(msg: MailMessage, address: string): boolean {
  return sameAddress(msg.from.address, address) || sameAddress(msg.sender.address, address);
}

/**
 * One message Graph told us about, or that delta catch-up found: fetch it by immutable id, store it once per
 * (mailbox, internetMessageId), and queue its card. A repeated or reordered notification lands on the same row.
 * The email row and its jobs commit in one unit of work: if queueing the card fails, the email is not stored
 * either, so the job's retry stores it and queues the card then (instead of finding a duplicate with no card).
 */
export async function ingestMessage(
  deps: IngestDeps,
  input: { tenantId: string; mailboxId: string; messageId: string },
  log: Logger,
): Promise<IngestOutcome> {
  const mailbox = await deps.mailboxes.byId(input.tenantId, input.mailboxId);
  if (!mailbox?.active) {
    log.info({ mailboxId: input.mailboxId }, 'mail for a mailbox no longer watched; skipped');
    return 'unwatched';
  }
  const msg = await deps.mail.getMessage(mailbox.graphUserId, input.messageId);
  if (!msg) {
    log.info({ messageId: input.messageId }, 'message was deleted before we could read it');
    return 'gone';
  }
  const now = deps.clock().toISOString();
  const { email, outcome } = await deps.uow.run(async (tx) => {
    const { email, isNew } = await tx.emails.insertIfNew(
      {
        tenantId: input.tenantId,
        mailboxId: mailbox.id,
        graphMessageId: msg.graphMessageId,
        internetMessageId: msg.internetMessageId || `<graph-${msg.graphMessageId}>`,
        conversationId: msg.conversationId,
        subject: msg.subject,
        from: msg.from,
        to: msg.to,
        cc: msg.cc,
        receivedAt: msg.receivedAt,
        sentAt: msg.sentAt,
        bodyPreview: msg.bodyPreview,
        webLink: msg.webLink,
        isDraft: msg.isDraft,
        isOutgoing: isSentByMailbox(msg, mailbox.address),
        hasAttachments: msg.hasAttachments,
      },
      now,
    );
    return { email, outcome: await decide(deps, tx, { email, isNew, mailbox, msg }, log) };
  });
  const elog = log.child({ emailId: email.id, internetMessageId: email.internetMessageId });
  if (outcome === 'card') elog.info({ subject: email.subject.slice(0, 80) }, 'new email; card queued');
  else if (outcome === 'duplicate') elog.debug(OUTCOME_WORDS.duplicate);
  else elog.info(OUTCOME_WORDS[outcome]);
  return outcome;
}

const OUTCOME_WORDS: Record<Exclude<IngestOutcome, 'card' | 'gone' | 'unwatched'>, string> = {
  duplicate: 'already ingested; nothing to do',
  draft: 'draft stored; drafts make no card',
  outgoing: 'mail sent by the mailbox stored; it makes no card',
  'no-channel': 'mailbox has no channel (personal autopilot); no card',
};

/** What a stored email leads to, inside the unit of work that stored it. */
async function decide(
  deps: IngestDeps,
  tx: WorkPorts,
  s: { email: Email; isNew: boolean; mailbox: Mailbox; msg: MailMessage },
  log: Logger,
): Promise<Exclude<IngestOutcome, 'gone' | 'unwatched'>> {
  const { email, mailbox } = s;
  if (!s.isNew) {
    // A moved message keeps its immutable id, but follow the newest id Graph gives anyway.
    if (email.graphMessageId !== s.msg.graphMessageId) {
      await tx.emails.updateGraphId(email.tenantId, email.id, s.msg.graphMessageId);
    }
    return 'duplicate';
  }
  if (email.isDraft) return 'draft';
  await deps.onNewEmail?.(email, tx, log.child({ emailId: email.id }));
  if (email.isOutgoing) return 'outgoing';
  if (!mailbox.channelConversationId) return 'no-channel';
  await tx.jobs.enqueue(postCardJob(email.tenantId, email.id));
  return 'card';
}
