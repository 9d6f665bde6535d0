import { externalIdFor } from '../../core/external-id.js';
import type { RecordRef, SaveEmailInput } from '../../core/ports.js';
import { escapeHtml } from '../../core/save.js';
import { plainPreview } from '../cards/card-text.js';
import { safeUrl } from '../cards/labels.js';
import { authorOf, type MessagePayload, plainTextOf } from './message-payload.js';

/**
 * The key of one Teams message: its conversation plus its id. Teams message ids are timestamps, unique within a
 * conversation only, so the conversation is part of the key.
 */
export function teamsMessageKey(conversationId: string, messageId: string): string {
  return `teams:${conversationId.split(';')[0] ?? conversationId}:${messageId}`;
}

/**
 * NetSuite requires an author on a message. When the directory cannot say who wrote it (a guest, an app, Graph
 * unreachable), this reserved address stands in: it can never reach or match a real person.
 */
export const UNKNOWN_AUTHOR = 'teams-message@author.invalid';

/**
 * A Teams message as the NetSuite `message` record it becomes: its text, author, time and a link back to it.
 * The externalId is derived from the message and the record, so saving the same message again finds the first
 * one and creates nothing.
 */
export function teamsMessageInput(
  tenantId: string,
  conversationId: string,
  payload: MessagePayload & { id: string },
  record: RecordRef,
  now: Date,
  authorAddress: string,
): SaveEmailInput {
  const author = authorOf(payload);
  const text = plainTextOf(payload);
  const when =
    payload.createdDateTime && !Number.isNaN(Date.parse(payload.createdDateTime))
      ? new Date(payload.createdDateTime).toISOString()
      : now.toISOString();
  const link = payload.linkToMessage ? safeUrl(payload.linkToMessage) : null;
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const footer = [
    `Posted in Microsoft Teams by ${escapeHtml(author)} on ${escapeHtml(when)}.`,
    link ? ` <a href="${escapeHtml(link)}">Open the message in Teams</a>` : '',
  ].join('');
  return {
    tenantId,
    externalId: externalIdFor(tenantId, teamsMessageKey(conversationId, payload.id), record.type, record.id),
    record,
    subject: `Teams message from ${author}${text ? `: ${plainPreview(text, 80)}` : ''}`,
    bodyHtml: `${paragraphs || '<p>(no text)</p>'}<p><em>${footer}</em></p>`,
    author: { name: author, address: authorAddress },
    to: [],
    cc: [],
    bcc: [],
    messageDate: when,
    // A colleague's message is internal, not mail received from outside.
    incoming: false,
    attachments: [],
  };
}
