import { createHash } from 'node:crypto';
import { MailroomError } from '../core/errors.js';
import type { Address, SaveEmailInput, SaveEmailResult } from '../core/ports.js';
import type { NetSuiteClient } from './client.js';

/**
 * Saving goes through the Mailroom SuiteApp's RESTlet (suiteapp/), never REST records: Oracle's REST `message`
 * is read-only and REST attach is not documented for messages. One POST per (email, record); the RESTlet finds the
 * message by its externalId before it creates anything, so a retry after a crash creates nothing new.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4618456734.html (calling a RESTlet)
 */
export const RESTLET_PATH = '/app/site/hosting/restlet.nl';

/** "RESTlets … 10 MB per request or response" (RESTlet governance, O:section_4640094112). */
export const RESTLET_REQUEST_MAX_BYTES = 10 * 1024 * 1024;
/**
 * Files per request: each costs the RESTlet up to 30 of its 5,000 usage units (a search, 10, and File.save, 20;
 * O:section_157072844224), so 100 leave room for the message and its look-ups.
 */
export const RESTLET_FILES_MAX = 100;
/** Room kept for the JSON around the fields, so a request never lands exactly on the limit. */
const ENVELOPE_BYTES = 4 * 1024;
/**
 * The RESTlet keeps 65,534 characters of body (the field's length); a longer body is cut here to a bound that
 * still leaves it the whole cut, so a huge email never crowds out its attachments.
 */
const BODY_SENT_MAX = 200_000;

export interface RestletTarget {
  scriptId: string;
  deployId: string;
  /** NETSUITE_FOLDER_ID: another File Cabinet folder than the SuiteApp's own. */
  folderId: string;
}

interface FileOutcome {
  index: number;
  name: string;
  status: 'saved' | 'skipped_too_large' | 'failed';
  fileId?: string;
  reason?: string;
}

type AttachmentOutcome = SaveEmailResult['attachments'][number];

const list = (addresses: Address[]) =>
  addresses
    .map((a) => a.address.trim())
    .filter((a) => a !== '')
    .join(', ');

/** One key per email, the same for every record it is saved to, so its files are stored once. */
function fileKeyOf(input: SaveEmailInput): string {
  const basis = input.emailKey ?? input.externalId;
  return `mf_${createHash('sha256')
    .update(JSON.stringify([input.tenantId, basis]))
    .digest('base64url')
    .slice(0, 32)}`;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** The request the RESTlet takes (suiteapp/ts/mailroom_request.ts), without its attachments. */
function envelope(input: SaveEmailInput, target: RestletTarget) {
  const [firstTo, ...otherTo] = input.to;
  return {
    externalId: input.externalId,
    fileKey: fileKeyOf(input),
    record: { type: input.record.type, id: input.record.id },
    subject: input.subject,
    body: input.bodyHtml.length > BODY_SENT_MAX ? input.bodyHtml.slice(0, BODY_SENT_MAX) : input.bodyHtml,
    authorEmail: input.author.address,
    recipientEmail: firstTo?.address ?? '',
    // A message has one recipient; the other To addresses join the CC line so nobody is dropped.
    cc: list([...otherTo, ...input.cc]),
    bcc: list(input.bcc),
    messageDate: input.messageDate,
    ...(target.folderId ? { folderId: target.folderId } : {}),
  };
}

/**
 * Which attachments go in the one request: files only, in order, while the request stays under 10 MB. What is
 * left out gets its outcome here, with the limit named.
 */
function pack(input: SaveEmailInput, room: number) {
  const sent: Array<{ index: number; name: string; contentType: string; content: string }> = [];
  const outcomes = new Map<number, AttachmentOutcome>();
  let left = room;
  for (const [index, a] of input.attachments.entries()) {
    if (a.contentBytes === undefined) {
      outcomes.set(index, { name: a.name, status: 'failed', reason: 'not a file (an attached item or a link)' });
      continue;
    }
    const item = { index, name: a.name, contentType: a.contentType, content: a.contentBytes };
    const cost = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (cost > room) {
      outcomes.set(index, {
        name: a.name,
        status: 'skipped_too_large',
        reason: `over NetSuite's 10 MB limit for one RESTlet request (${mb(a.size)}, ${mb(cost)} once base64-encoded; about 7.5 MB fits)`,
      });
    } else if (sent.length >= RESTLET_FILES_MAX) {
      outcomes.set(index, {
        name: a.name,
        status: 'skipped_too_large',
        reason: `over the ${RESTLET_FILES_MAX} files one save sends, which keeps the RESTlet within NetSuite's 5,000 usage units`,
      });
    } else if (cost > left) {
      outcomes.set(index, {
        name: a.name,
        status: 'skipped_too_large',
        reason: `did not fit, with the email's other attachments, in NetSuite's 10 MB limit for one RESTlet request`,
      });
    } else {
      sent.push(item);
      left -= cost;
    }
  }
  return { sent, outcomes };
}

function answerOf(text: string): { messageId: string; created: boolean; files: FileOutcome[] } {
  const a = JSON.parse(text) as { messageId?: unknown; created?: unknown; files?: unknown };
  if (typeof a.messageId !== 'string' || typeof a.created !== 'boolean' || !Array.isArray(a.files)) {
    throw new MailroomError('netsuite_error', 'the Mailroom SuiteApp answered in a shape Mailroom does not know', {
      remedy: 'Deploy the SuiteApp from this version of Mailroom (suiteapp/, docs/admin.md), then retry.',
    });
  }
  return { messageId: a.messageId, created: a.created, files: a.files as FileOutcome[] };
}

/** Saves one email on one record through the RESTlet, with as many of its attachments as one request holds. */
export async function saveEmail(
  client: NetSuiteClient,
  target: RestletTarget,
  input: SaveEmailInput,
): Promise<SaveEmailResult> {
  const base = envelope(input, target);
  const room = RESTLET_REQUEST_MAX_BYTES - ENVELOPE_BYTES - Buffer.byteLength(JSON.stringify(base));
  const { sent, outcomes } = pack(input, room);
  const res = await client.request('POST', RESTLET_PATH, {
    what: `save to ${input.record.type} ${input.record.id} (Mailroom SuiteApp)`,
    query: { script: target.scriptId, deploy: target.deployId },
    body: { ...base, attachments: sent },
  });
  const answer = answerOf(res.text);
  for (const f of answer.files) {
    outcomes.set(f.index, {
      name: f.name,
      status: f.status,
      ...(f.reason === undefined ? {} : { reason: f.reason }),
    });
  }
  const attachments = input.attachments.map(
    (a, index): AttachmentOutcome =>
      outcomes.get(index) ?? { name: a.name, status: 'failed', reason: 'NetSuite did not report this file' },
  );
  return { netsuiteMessageId: answer.messageId, created: answer.created, attachments };
}
