import type { Logger } from 'pino';
import { type Association, type AssociationStore, canRetry } from './associations.js';
import type { Actor } from './audit.js';
import { personWords } from './error-words.js';
import { MailroomError, toMailroomError } from './errors.js';
import { externalIdFor } from './external-id.js';
import { JobKind, updateCardJob } from './job-kinds.js';
import type {
  EmailStore,
  JobSink,
  MailboxLookup,
  MailService,
  RecordRef,
  RecordService,
  SaveEmailInput,
  UnitOfWork,
  WorkPorts,
} from './ports.js';
import { emailHtmlForNetSuite } from './sanitize-email-html.js';
import type { NewTeamsMessage, TeamsMessageStore } from './teams-message.js';

/**
 * A "saving" row older than this belongs to a worker that died: a job lease (60 s) plus NetSuite's slowest
 * answer. NetSuite's externalId check then finds whatever that worker created.
 */
const SAVING_STALE_MS = 120_000;

export interface SaveDeps {
  /** Reads outside a unit of work; every write goes through `uow`. */
  emails: EmailStore;
  mailboxes: MailboxLookup;
  associations: AssociationStore;
  teamsMessages: Pick<TeamsMessageStore, 'byId'>;
  /** For a card refresh that decides nothing (a click on "refresh"); decisions enqueue inside `uow`. */
  jobs: JobSink;
  uow: UnitOfWork;
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
  if (!email) {
    throw new MailroomError('not_found', 'This email is no longer in Mailroom.', {
      remedy: 'Open it in Outlook; its retention period may have ended.',
    });
  }
  const out = await deps.uow.run(async (tx) => {
    const out = await insertSaves(tx, deps.clock(), { id: email.id, key: email.internetMessageId }, req);
    if (out.queued.length > 0) await refreshCards(tx, req.tenantId, email.internetMessageId);
    return out;
  });
  for (const a of out.queued) log.info({ record: `${a.record.type}:${a.record.id}`, mode: req.mode }, 'save queued');
  return out;
}

export interface TeamsMessageSaveRequest {
  tenantId: string;
  message: NewTeamsMessage;
  records: RecordRef[];
  actor: Actor;
}

/**
 * "Save this Teams message to these records", from the messaging extension: the message is kept, and each
 * (message, record) becomes one durable save job, exactly once, like an email's.
 */
export async function requestTeamsMessageSaves(
  deps: SaveDeps,
  req: TeamsMessageSaveRequest,
  log: Logger,
): Promise<SaveRequestResult> {
  const out = await deps.uow.run(async (tx) => {
    const kept = await tx.teamsMessages.keep(req.message, deps.clock().toISOString());
    return insertSaves(tx, deps.clock(), { id: kept.id, key: kept.key }, { ...req, mode: 'one-time' });
  });
  for (const a of out.queued) log.info({ record: `${a.record.type}:${a.record.id}` }, 'Teams message save queued');
  return out;
}

/**
 * One association per record for the item (an email, or a Teams message) named by its row id and its key, the
 * key a save is unique on; each new one gets its save job, in the same transaction.
 */
export async function insertSaves(
  tx: WorkPorts,
  now: Date,
  item: { id: string; key: string },
  req: Omit<SaveRequest, 'emailId'>,
): Promise<SaveRequestResult> {
  const out: SaveRequestResult = { queued: [], existing: [] };
  for (const record of req.records) {
    const { association, created } = await tx.associations.insertIfNew({
      tenantId: req.tenantId,
      emailId: item.id,
      internetMessageId: item.key,
      record,
      savedBy: req.actor,
      mode: req.mode,
      ruleId: req.ruleId ?? null,
      externalId: externalIdFor(req.tenantId, item.key, record.type, record.id),
      now: now.toISOString(),
    });
    if (!created) {
      out.existing.push(association);
      continue;
    }
    await enqueueSave(tx.jobs, association);
    out.queued.push(association);
  }
  return out;
}

async function enqueueSave(jobs: JobSink, a: Association): Promise<void> {
  await jobs.enqueue({
    tenantId: a.tenantId,
    kind: JobKind.save,
    payload: { associationId: a.id },
    dedupeKey: `${JobKind.save}:${a.id}`,
  });
}

/** The ports a card refresh needs: a unit of work's, or the plain ones for a refresh that decides nothing. */
type CardPorts = { emails: Pick<EmailStore, 'byId' | 'copies'>; jobs: JobSink };

/** Every watched copy of a message has its own card; all of them show the same saves. */
export async function refreshCards(ports: CardPorts, tenantId: string, imid: string) {
  for (const copy of await ports.emails.copies(tenantId, imid)) {
    await ports.jobs.enqueue(updateCardJob(tenantId, copy.id));
  }
}

/** `refreshCards` for the email a click or the Dashboard names by id. */
export async function refreshCardsOfEmail(ports: CardPorts, tenantId: string, emailId: string) {
  const email = await ports.emails.byId(tenantId, emailId);
  if (email) await refreshCards(ports, tenantId, email.internetMessageId);
}

/**
 * A person asked to try a failed save again, or the attachments that failed on a partial one. False when Retry
 * cannot help any more (someone retried first). Two clicks at once reopen it once: the second finds it pending.
 */
export async function retrySave(deps: SaveDeps, tenantId: string, associationId: string): Promise<boolean> {
  return deps.uow.run(async (tx) => {
    const current = await tx.associations.byId(tenantId, associationId);
    if (!current || !canRetry(current)) return false;
    const ok = await tx.associations.reopen(tenantId, associationId, deps.clock().toISOString());
    if (!ok) return false;
    const a = await tx.associations.byId(tenantId, associationId);
    if (a) {
      await enqueueSave(tx.jobs, a);
      await refreshCards(tx, tenantId, a.internetMessageId);
    }
    return true;
  });
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
    const item = await saveInput(deps, a);
    const result = await deps.records.saveEmail(item.input);
    // The outcome, its audit entry, the Outlook category and the card refreshes commit together.
    await deps.uow.run(async (tx) => {
      await tx.associations.markSaved(tenantId, a.id, {
        netsuiteMessageId: result.netsuiteMessageId,
        attachments: result.attachments,
        now: now(),
      });
      await tx.audit.record({
        tenantId,
        actor: a.savedBy,
        action: 'save',
        subject: a.emailId,
        detail: {
          record: a.record,
          mode: a.mode,
          netsuiteMessageId: result.netsuiteMessageId,
          created: result.created,
          subjectLine: item.input.subject.slice(0, 200),
        },
      });
      if (item.mailboxCopy) {
        await tx.jobs.enqueue({
          tenantId,
          kind: JobKind.category,
          payload: { emailId: a.emailId },
          dedupeKey: `${JobKind.category}:${a.emailId}`,
        });
      }
      await refreshCards(tx, tenantId, a.internetMessageId);
    });
    log.info({ netsuiteMessageId: result.netsuiteMessageId, created: result.created }, 'saved to NetSuite');
  } catch (raw) {
    const err: MailroomError = toMailroomError(raw);
    await deps.uow.run(async (tx) => {
      await tx.associations.markFailed(tenantId, a.id, { code: err.code, message: personWords(err), now: now() });
      await refreshCards(tx, tenantId, a.internetMessageId);
    });
    throw raw;
  }
}

/**
 * What NetSuite is sent for a save: an email as the mailbox holds it now, or a Teams message as it was kept.
 * `mailboxCopy` says there is an Outlook copy to mark as saved.
 */
async function saveInput(deps: SaveDeps, a: Association): Promise<{ input: SaveEmailInput; mailboxCopy: boolean }> {
  const tenantId = a.tenantId;
  const email = await deps.emails.byId(tenantId, a.emailId);
  if (!email) {
    const m = await deps.teamsMessages.byId(tenantId, a.emailId);
    if (!m) throw gone();
    const input: SaveEmailInput = {
      tenantId,
      externalId: a.externalId,
      record: a.record,
      subject: m.subject,
      bodyHtml: m.bodyHtml,
      author: m.author,
      to: [],
      cc: [],
      bcc: [],
      messageDate: m.postedAt,
      // A colleague's message is internal, not mail received from outside.
      incoming: false,
      attachments: [],
    };
    return { input, mailboxCopy: false };
  }
  const mailbox = await deps.mailboxes.byId(tenantId, email.mailboxId);
  if (!mailbox) throw gone();
  const msg = await deps.mail.getMessage(mailbox.graphUserId, email.graphMessageId, { withBody: true });
  // A retry of a partial save sends every file again, in the same order: NetSuite keys stored files by their
  // place, finds the ones it already holds, and reports each file's outcome afresh.
  const attachments =
    msg?.hasAttachments === true ? await deps.mail.listAttachments(mailbox.graphUserId, email.graphMessageId) : [];
  const body = msg?.body
    ? msg.body.contentType === 'html'
      ? emailHtmlForNetSuite(msg.body.content)
      : `<pre>${escapeHtml(msg.body.content)}</pre>`
    : `<p>${escapeHtml(email.bodyPreview)}</p><p><em>(The full email was no longer in the mailbox; this is its preview.)</em></p>`;
  const input: SaveEmailInput = {
    tenantId,
    externalId: a.externalId,
    emailKey: email.internetMessageId,
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
  };
  return { input, mailboxCopy: true };
}

/** Deleted meanwhile (retention, unwatch): trying again cannot bring it back, so the job fails at once. */
function gone(): MailroomError {
  return new MailroomError('not_found', 'The email or its mailbox is no longer in Mailroom.');
}

/** Text made safe inside HTML, in an element or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
