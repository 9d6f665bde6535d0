import type { Logger } from 'pino';
import { JobKind } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { EmailRepo } from '../store/repos/emails.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import { type Email, sameAddress } from './email.js';
import type { MailMessage, MailService } from './ports.js';

export interface IngestDeps {
  mail: MailService;
  mailboxes: MailboxRepo;
  emails: EmailRepo;
  queue: JobQueue;
  clock: () => Date;
  /** Called for every email newly stored (autopilot planning hooks in here). */
  onNewEmail?: (email: Email, log: Logger) => Promise<void>;
}

export type IngestOutcome = 'card' | 'duplicate' | 'draft' | 'outgoing' | 'no-channel' | 'gone' | 'unwatched';

/** A mail the mailbox itself sent: it makes no card, but autopilot may still save it. */
function isSentByMailbox(msg: MailMessage, address: string): boolean {
  return sameAddress(msg.from.address, address) || sameAddress(msg.sender.address, address);
}

/**
 * One message Graph told us about, or that delta catch-up found: fetch it by immutable id, store it once per
 * (mailbox, internetMessageId), and queue its card. A repeated or reordered notification lands on the same row.
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
  const { email, isNew } = await deps.emails.insertIfNew(
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
  const elog = log.child({ emailId: email.id, internetMessageId: email.internetMessageId });
  if (!isNew) {
    if (email.graphMessageId !== msg.graphMessageId) {
      await deps.emails.updateGraphId(input.tenantId, email.id, msg.graphMessageId);
    }
    elog.debug('already ingested; nothing to do');
    return 'duplicate';
  }
  if (email.isDraft) {
    elog.info('draft stored; drafts make no card');
    return 'draft';
  }
  await deps.onNewEmail?.(email, elog);
  if (email.isOutgoing) {
    elog.info('mail sent by the mailbox stored; it makes no card');
    return 'outgoing';
  }
  if (!mailbox.channelConversationId) {
    elog.info('mailbox has no channel (personal autopilot); no card');
    return 'no-channel';
  }
  await deps.queue.enqueue({
    tenantId: input.tenantId,
    kind: JobKind.postCard,
    payload: { emailId: email.id },
    dedupeKey: `${JobKind.postCard}:${email.id}`,
  });
  elog.info({ subject: email.subject.slice(0, 80) }, 'new email; card queued');
  return 'card';
}
