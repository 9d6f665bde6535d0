import { escapeHtml } from '../../core/save.js';
import type { NewTeamsMessage } from '../../core/teams-message.js';
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
 * A Teams message as Mailroom keeps it to save: its text as the NetSuite message's body, its author, time and a
 * link back to it. Its key names the message, so saving it again to the same record finds the first save.
 */
export function teamsMessageOf(
  tenantId: string,
  conversationId: string,
  teamId: string | null,
  payload: MessagePayload & { id: string },
  now: Date,
  authorAddress: string,
): NewTeamsMessage {
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
    key: teamsMessageKey(conversationId, payload.id),
    teamId,
    subject: `Teams message from ${author}${text ? `: ${plainPreview(text, 80)}` : ''}`,
    author: { name: author, address: authorAddress },
    bodyHtml: `${paragraphs || '<p>(no text)</p>'}<p><em>${footer}</em></p>`,
    postedAt: when,
    webLink: link,
  };
}
