import { MailroomError } from '../core/errors.js';
import type { Address, SaveEmailInput, SaveEmailResult } from '../core/ports.js';
import { type AttachmentWriter, saveAttachments } from './attachments.js';
import type { NetSuiteClient } from './client.js';
import { messageLinkField } from './record-links.js';
import type { Row } from './rows.js';
import { messageByExternalIdQuery } from './suiteql.js';

/**
 * How much of an email body Mailroom stores in the message's `message` field. Oracle's help does not state the
 * field's limit in the pages we could find; NetSuite's long-text fields hold up to 1,000,000 characters and
 * text areas 4,000. We keep the first 100,000 characters and say so in the body when we cut.
 */
export const MESSAGE_BODY_LIMIT = 100_000;

export function capBody(html: string, limit = MESSAGE_BODY_LIMIT): string {
  if (html.length <= limit) return html;
  const note = `<p><em>[Mailroom: this email was longer than NetSuite stores (${limit.toLocaleString('en-US')} characters); the rest is in the mailbox.]</em></p>`;
  let cut = html.slice(0, Math.max(0, limit - note.length));
  // Do not leave half a tag or entity at the cut.
  const lastOpen = cut.lastIndexOf('<');
  if (lastOpen > cut.lastIndexOf('>')) cut = cut.slice(0, lastOpen);
  const lastAmp = cut.lastIndexOf('&');
  if (lastAmp > cut.lastIndexOf(';')) cut = cut.slice(0, lastAmp);
  return `${cut}${note}`;
}

const list = (addresses: Address[]) =>
  addresses
    .map((a) => a.address.trim())
    .filter((a) => a !== '')
    .join(', ');

/** The `message` record body NetSuite receives for one save. */
export function messageBody(input: SaveEmailInput): Record<string, unknown> {
  const [firstTo, ...otherTo] = input.to;
  const body: Record<string, unknown> = {
    externalId: input.externalId,
    subject: input.subject.slice(0, 4000) || '(no subject)',
    message: capBody(input.bodyHtml),
    authorEmail: input.author.address,
    recipientEmail: firstTo?.address ?? '',
    // A message has one recipient; the other To addresses join the CC line so nobody is dropped.
    cc: list([...otherTo, ...input.cc]),
    bcc: list(input.bcc),
    messageDate: input.messageDate,
    incoming: input.incoming,
    // Saved, not sent: NetSuite must not mail anyone.
    emailed: false,
  };
  body[messageLinkField(input.record.type)] = { id: input.record.id };
  return body;
}

async function findMessage(client: NetSuiteClient, externalId: string): Promise<string | null> {
  const page = await client.suiteql<Row>(messageByExternalIdQuery(externalId), { limit: 1 });
  return page.items[0]?.id ?? null;
}

/**
 * Saves one email on one record, exactly once: the externalId is looked up first, so a retry after a crash
 * (the POST went through, our commit did not) finds the message and creates nothing.
 */
export async function saveEmail(
  client: NetSuiteClient,
  attachments: AttachmentWriter | null,
  input: SaveEmailInput,
): Promise<SaveEmailResult> {
  const found = await findMessage(client, input.externalId);
  let messageId: string;
  let created = false;
  if (found) {
    messageId = found;
  } else {
    try {
      messageId = await client.create('message', messageBody(input));
      created = true;
    } catch (err) {
      // Another worker created it between our lookup and our POST: NetSuite refuses a second record with the
      // same externalId, and that one is ours too.
      const again =
        err instanceof MailroomError && err.code === 'netsuite_validation'
          ? await findMessage(client, input.externalId)
          : null;
      if (!again) throw err;
      messageId = again;
    }
  }
  // Attachment uploads are themselves looked up by name, so redoing them after a crash duplicates nothing.
  const outcomes = await saveAttachments(attachments, {
    messageId,
    externalId: input.externalId,
    attachments: input.attachments,
  });
  return { netsuiteMessageId: messageId, created, attachments: outcomes };
}
