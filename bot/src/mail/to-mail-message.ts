import type { Address, MailMessage } from '../core/ports.js';

/** Only the fields Mailroom uses: smaller responses, and fewer fields to leak into logs. */
export const MESSAGE_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'receivedDateTime',
  'sentDateTime',
  'bodyPreview',
  'webLink',
  'isDraft',
  'hasAttachments',
  'parentFolderId',
] as const;

interface GraphRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function address(r: unknown): Address {
  const e = (r as GraphRecipient | null | undefined)?.emailAddress;
  return { name: str(e?.name), address: str(e?.address) };
}

function addresses(list: unknown): Address[] {
  return Array.isArray(list) ? list.map(address).filter((a) => a.address !== '' || a.name !== '') : [];
}

/**
 * Maps Graph's message JSON (from GET or delta) to MailMessage.
 * https://learn.microsoft.com/graph/api/resources/message
 * A draft has no `from` yet; the sender then falls back to `sender`, then to nothing.
 */
export function toMailMessage(json: Record<string, unknown>): MailMessage {
  const from = json.from ? address(json.from) : address(json.sender);
  const body = json.body as { contentType?: string; content?: string } | undefined;
  const message: MailMessage = {
    graphMessageId: str(json.id),
    internetMessageId: str(json.internetMessageId),
    conversationId: str(json.conversationId),
    subject: str(json.subject),
    from,
    sender: json.sender ? address(json.sender) : from,
    to: addresses(json.toRecipients),
    cc: addresses(json.ccRecipients),
    bcc: addresses(json.bccRecipients),
    receivedAt: str(json.receivedDateTime),
    sentAt: typeof json.sentDateTime === 'string' ? json.sentDateTime : null,
    bodyPreview: str(json.bodyPreview),
    webLink: str(json.webLink),
    isDraft: json.isDraft === true,
    hasAttachments: json.hasAttachments === true,
    parentFolderId: str(json.parentFolderId),
  };
  if (body && typeof body.content === 'string') {
    message.body = { contentType: body.contentType?.toLowerCase() === 'html' ? 'html' : 'text', content: body.content };
  }
  return message;
}
