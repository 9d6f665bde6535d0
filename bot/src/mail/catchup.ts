import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import type { MailMessage } from '../core/ports.js';
import { ingestJob } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { DeltaStateRepo } from '../store/repos/delta-state.js';
import type { EmailRepo } from '../store/repos/emails.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import type { GraphMailService } from './graph-client.js';
import type { MailFolder, WellKnownFolder } from './graph-folders.js';
import { graphSegment } from './graph-path.js';
import { MESSAGE_FIELDS } from './to-mail-message.js';

export interface CatchupDeps {
  mail: Pick<GraphMailService, 'listMailFolders' | 'deltaPage'>;
  /** CATCHUP_EXCLUDE_FOLDERS: well-known folders left out besides Deleted Items, Junk Email and Drafts. */
  excludeFolders?: readonly WellKnownFolder[];
  mailboxes: MailboxRepo;
  emails: Pick<EmailRepo, 'byMessageId'>;
  deltaState: DeltaStateRepo;
  queue: JobQueue;
  clock: () => Date;
  pageSize?: number;
}

export interface CatchupResult {
  folders: number;
  /** Messages handed to ingest (each deduped there, as a notification would be). */
  queued: number;
  resets: number;
}

/** A round that runs away (a Graph bug, a loop of nextLinks) stops here; the next catch-up resumes it. */
const MAX_PAGES_PER_FOLDER = 10_000;

const iso = (s: string) => {
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * Catches one mailbox up with Graph delta: every folder the subscription covers (`users/{id}/messages` is the
 * whole mailbox) but Deleted Items, Junk Email, Drafts and the excluded ones, each from its own stored deltaLink,
 * so mail a rule files into "Orders" beside the Inbox is found too. Every message found becomes an ingest job with the same dedupe key a notification gets, so mail
 * that was also notified, or seen in an earlier round, makes no second card.
 * https://learn.microsoft.com/graph/delta-query-messages
 */
export async function catchUpMailbox(
  deps: CatchupDeps,
  input: { tenantId: string; mailboxId: string },
  log: Logger,
): Promise<CatchupResult> {
  const out: CatchupResult = { folders: 0, queued: 0, resets: 0 };
  const mailbox = await deps.mailboxes.byId(input.tenantId, input.mailboxId);
  if (!mailbox?.active) {
    log.info({ mailboxId: input.mailboxId }, 'mailbox no longer watched; no catch-up');
    return out;
  }
  const folders = await deps.mail.listMailFolders(mailbox.graphUserId, deps.excludeFolders ?? []);
  for (const folder of folders) {
    const flog = log.child({ folder: folder.path });
    try {
      out.queued += await catchUpFolder(deps, mailbox, folder, flog);
    } catch (err) {
      if (!(err instanceof MailroomError && err.code === 'graph_delta_reset')) throw err;
      // The deltaLink is gone (410 / syncStateNotFound): start the folder again from the last mail seen.
      flog.warn({ err }, 'delta state reset by Graph; starting the folder again');
      out.resets++;
      const prev = await deps.deltaState.get(mailbox.tenantId, mailbox.id, folder.id);
      await deps.deltaState.save(
        mailbox.tenantId,
        mailbox.id,
        { folderId: folder.id, deltaLink: null, lastReceivedAt: prev?.lastReceivedAt ?? null },
        deps.clock().toISOString(),
      );
      out.queued += await catchUpFolder(deps, mailbox, folder, flog);
    }
    out.folders++;
  }
  await deps.mailboxes.touchCatchup(mailbox.tenantId, mailbox.id, deps.clock().toISOString());
  log.info({ mailbox: mailbox.address, ...out }, 'catch-up done');
  return out;
}

type WatchedMailbox = { id: string; tenantId: string; graphUserId: string; createdAt: string };

/**
 * One folder, one round: follow nextLink until the deltaLink, then store it. A round without a stored link
 * lists the whole folder, so it is filtered to mail received since the last one seen (or since the mailbox
 * was watched): older mail is history, not news, and must not flood the channel.
 */
async function catchUpFolder(deps: CatchupDeps, mailbox: WatchedMailbox, folder: MailFolder, log: Logger) {
  const state = await deps.deltaState.get(mailbox.tenantId, mailbox.id, folder.id);
  // Graph's receivedDateTime has whole seconds: the watch time is cut to its second, so mail that arrived in the
  // same second as /watch is not taken for history.
  const floor = state?.deltaLink ? null : (state?.lastReceivedAt ?? wholeSecond(iso(mailbox.createdAt)));
  let next: { deltaLink?: string; nextLink?: string } = state?.deltaLink
    ? { deltaLink: state.deltaLink }
    : { nextLink: firstLink(mailbox.graphUserId, folder.id, floor) };
  let newest: string | null = null;
  let queued = 0;
  for (let pages = 0; pages < MAX_PAGES_PER_FOLDER; pages++) {
    const page = await deps.mail.deltaPage(mailbox.graphUserId, folder.id, {
      ...next,
      pageSize: deps.pageSize ?? 50,
    });
    for (const msg of page.messages) {
      const received = iso(msg.receivedAt);
      // Graph filters server side; this check also holds where a $filter is ignored.
      if (floor && received && received < floor) continue;
      if (received && (newest === null || received > newest)) newest = received;
      // Delta repeats mail that merely changed (read, flagged); what is stored already needs no Graph read.
      if (
        msg.internetMessageId &&
        (await deps.emails.byMessageId(mailbox.tenantId, mailbox.id, msg.internetMessageId))
      ) {
        continue;
      }
      if (await enqueueIngest(deps.queue, mailbox, msg)) queued++;
    }
    if (page.deltaLink) {
      await deps.deltaState.save(
        mailbox.tenantId,
        mailbox.id,
        { folderId: folder.id, deltaLink: page.deltaLink, lastReceivedAt: newest },
        deps.clock().toISOString(),
      );
      if (queued > 0) log.info({ queued }, 'catch-up found mail');
      return queued;
    }
    if (!page.nextLink) throw new MailroomError('graph_error', 'Graph ended a delta round without a deltaLink');
    next = { nextLink: page.nextLink };
  }
  log.warn('delta round too long; the next catch-up resumes it');
  return queued;
}

/** The round's first request, with `receivedDateTime ge` (the only filter message delta allows). */
function firstLink(userId: string, folderId: string, floor: string | null): string {
  const base = `/users/${graphSegment(userId)}/mailFolders/${graphSegment(folderId)}/messages/delta`;
  const q = new URLSearchParams({ $select: MESSAGE_FIELDS.join(',') });
  if (floor) q.set('$filter', `receivedDateTime ge ${floor}`);
  return `${base}?${q.toString()}`;
}

/** The same job, and the same dedupe key, that a change notification makes. */
async function enqueueIngest(queue: JobQueue, mailbox: WatchedMailbox, msg: MailMessage): Promise<boolean> {
  const id = await queue.enqueue(ingestJob(mailbox.tenantId, { mailboxId: mailbox.id, messageId: msg.graphMessageId }));
  return id !== null;
}

function wholeSecond(at: string | null): string | null {
  return at === null ? null : `${at.slice(0, 19)}.000Z`;
}
