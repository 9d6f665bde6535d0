import type { Logger } from 'pino';
import { JobKind, updateCardJob } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Association, AssociationRepo } from '../store/repos/associations.js';
import type { EmailRepo } from '../store/repos/emails.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import type { Actor, AuditSink } from './audit.js';
import { MailroomError, toMailroomError } from './errors.js';
import { externalIdFor } from './external-id.js';
import { plainReason } from './plain-reason.js';
import type { MailService, RecordRef, RecordService } from './ports.js';

/**
 * A "saving" row older than this belongs to a worker that died: a job lease (60 s) plus NetSuite's slowest
 * answer. NetSuite's externalId check then finds whatever that worker created.
 */
const SAVING_STALE_MS = 120_000;

export interface SaveDeps {
  emails: EmailRepo;
  mailboxes: MailboxRepo;
  associations: AssociationRepo;
  queue: JobQueue;
  audit: AuditSink;
  mail: MailService;
  records: RecordService;
  clock: () => Date;
  /** When a "saving" row counts as abandoned (default SAVING_STALE_MS); the crash tests shorten it with leases. */
  savingStaleMs?: number;
}

export interface SaveRequest {
  tenantId: string;
  emailId: string;
  records: RecordRef[];
  actor: Actor;
  mode: 'one-time' | 'autopilot';
  ruleId?: string | null;
}

export interface SaveRequestResult {
  /** New (email, record) saves, each now a durable job. */
  queued: Association[];
  /** Pairs someone (or autopilot) already saved or is saving: nothing new was created for them. */
  existing: Association[];
}

/**
 * Turns "save this email to these records" into one durable job per (email, record). The association's unique
 * key (tenant, internetMessageId, record) makes this exactly-once across clicks, mailboxes and autopilot.
 */
export async function requestSaves(deps: SaveDeps, req: SaveRequest, log: Logger): Promise<SaveRequestResult> {
  const email = await deps.emails.byId(req.tenantId, req.emailId);
  if (!email) throw new Error(`email ${req.emailId} not found`);
  const out: SaveRequestResult = { queued: [], existing: [] };
  for (const record of req.records) {
    const { association, created } = await deps.associations.claim({
      tenantId: req.tenantId,
      emailId: email.id,
      internetMessageId: email.internetMessageId,
      record,
      savedBy: req.actor,
      mode: req.mode,
      ruleId: req.ruleId ?? null,
      externalId: externalIdFor(req.tenantId, email.internetMessageId, record.type, record.id),
      now: deps.clock().toISOString(),
    });
    if (!created) {
      out.existing.push(association);
      continue;
    }
    await enqueueSave(deps, association);
    out.queued.push(association);
    log.info({ record: `${record.type}:${record.id}`, mode: req.mode }, 'save queued');
  }
  if (out.queued.length > 0) await refreshCards(deps, req.tenantId, email.internetMessageId);
  return out;
}

export async function enqueueSave(deps: Pick<SaveDeps, 'queue'>, a: Association): Promise<void> {
  await deps.queue.enqueue({
    tenantId: a.tenantId,
    kind: JobKind.save,
    payload: { associationId: a.id },
    dedupeKey: `${JobKind.save}:${a.id}`,
  });
}

/** Every watched copy of a message has its own card; all of them show the same saves. */
export async function refreshCards(deps: Pick<SaveDeps, 'emails' | 'queue'>, tenantId: string, imid: string) {
  for (const copy of await deps.emails.copies(tenantId, imid)) {
    await deps.queue.enqueue(updateCardJob(tenantId, copy.id));
  }
}

/** `refreshCards` for the email a click or the Dashboard names by id. */
export async function refreshCardsOfEmail(deps: Pick<SaveDeps, 'emails' | 'queue'>, tenantId: string, emailId: string) {
  const email = await deps.emails.byId(tenantId, emailId);
  if (email) await refreshCards(deps, tenantId, email.internetMessageId);
}

/** A person asked to try a failed save again. False when it is not failed any more. */
export async function retrySave(deps: SaveDeps, tenantId: string, associationId: string): Promise<boolean> {
  const ok = await deps.associations.reopen(tenantId, associationId, deps.clock().toISOString());
  if (!ok) return false;
  const a = await deps.associations.byId(tenantId, associationId);
  if (a) {
    await enqueueSave(deps, a);
    await refreshCards(deps, tenantId, a.internetMessageId);
  }
  return true;
}

/**
 * The save job: one NetSuite message for one (email, record). NetSuite is asked for the externalId first, so a
 * retry after a crash between NetSuite's answer and our commit creates nothing new. A failure shows on the card
 * with its plain reason at once, while passing faults are also retried in the background.
 */
export async function runSave(deps: SaveDeps, tenantId: string, associationId: string, log: Logger): Promise<void> {
  const now = () => deps.clock().toISOString();
  const staleMs = deps.savingStaleMs ?? SAVING_STALE_MS;
  const a = await deps.associations.begin(tenantId, associationId, now(), staleMs);
  if (!a) {
    const current = await deps.associations.byId(tenantId, associationId);
    if (current?.status === 'saving') {
      // Another worker holds it, or one died mid-save: come back once that attempt is over or counts as stale.
      throw new MailroomError('save_in_progress', 'another attempt of this save is still running', {
        retryAfterSeconds: Math.ceil(staleMs / 2000),
      });
    }
    log.info('save already done; nothing to do');
    return;
  }
  try {
    const email = await deps.emails.byId(tenantId, a.emailId);
    const mailbox = email ? await deps.mailboxes.byId(tenantId, email.mailboxId) : null;
    if (!email || !mailbox) throw new Error('the email or its mailbox is gone');
    const msg = await deps.mail.getMessage(mailbox.graphUserId, email.graphMessageId, { withBody: true });
    const attachments =
      msg?.hasAttachments === true ? await deps.mail.listAttachments(mailbox.graphUserId, email.graphMessageId) : [];
    const body = msg?.body
      ? msg.body.contentType === 'html'
        ? msg.body.content
        : `<pre>${escapeHtml(msg.body.content)}</pre>`
      : `<p>${escapeHtml(email.bodyPreview)}</p><p><em>(The full email was no longer in the mailbox; this is its preview.)</em></p>`;
    const result = await deps.records.saveEmail({
      tenantId,
      externalId: a.externalId,
      record: a.record,
      subject: email.subject,
      bodyHtml: body,
      author: email.from,
      to: email.to,
      cc: email.cc,
      bcc: msg?.bcc ?? [],
      messageDate: email.sentAt ?? email.receivedAt,
      incoming: !email.isOutgoing,
      attachments,
    });
    await deps.associations.markSaved(tenantId, a.id, {
      netsuiteMessageId: result.netsuiteMessageId,
      attachments: result.attachments,
      now: now(),
    });
    await deps.audit.record({
      tenantId,
      actor: a.savedBy,
      action: 'save',
      subject: email.id,
      detail: {
        record: a.record,
        mode: a.mode,
        netsuiteMessageId: result.netsuiteMessageId,
        created: result.created,
        subjectLine: email.subject.slice(0, 200),
      },
    });
    await deps.queue.enqueue({
      tenantId,
      kind: JobKind.category,
      payload: { emailId: email.id },
      dedupeKey: `${JobKind.category}:${email.id}`,
    });
    log.info({ netsuiteMessageId: result.netsuiteMessageId, created: result.created }, 'saved to NetSuite');
  } catch (raw) {
    const err: MailroomError = toMailroomError(raw);
    await deps.associations.markFailed(tenantId, a.id, { code: err.code, message: plainReason(err), now: now() });
    await refreshCards(deps, tenantId, a.internetMessageId);
    throw raw;
  }
  await refreshCards(deps, tenantId, a.internetMessageId);
}

/** Text made safe inside HTML, in an element or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
