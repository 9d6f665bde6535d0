import sanitizeHtml from 'sanitize-html';
import { etag, messageId } from './ids.js';
import type { EmuAddress, EmuMessage } from './types.js';

const recipient = (a: EmuAddress) => ({ emailAddress: { name: a.name, address: a.address } });

/** Graph's bodyPreview is plain text, the first 255 characters. */
function preview(m: EmuMessage): string {
  const text = m.bodyType === 'html' ? sanitizeHtml(m.body, { allowedTags: [], allowedAttributes: {} }) : m.body;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** A message in Graph's JSON shape. https://learn.microsoft.com/graph/api/resources/message */
export function messageJson(m: EmuMessage, immutable: boolean): Record<string, unknown> {
  const id = messageId(m, immutable);
  return {
    '@odata.etag': etag(m),
    id,
    createdDateTime: m.receivedDateTime,
    lastModifiedDateTime: m.receivedDateTime,
    changeKey: etag(m).slice(3, -1),
    categories: [...m.categories],
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: m.attachments.length > 0,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: preview(m),
    importance: 'normal',
    parentFolderId: m.folderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: false,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    // A message kept from before bodyType existed (sandbox state on disk) is text.
    body: { contentType: m.bodyType === 'html' ? 'html' : 'text', content: m.body },
    sender: recipient(m.from),
    from: recipient(m.from),
    toRecipients: m.to.map(recipient),
    ccRecipients: m.cc.map(recipient),
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: 'notFlagged' },
  };
}

/** Honours $select: the chosen fields, plus id and @odata.etag as Graph always sends. */
export function selectFields(
  json: Record<string, unknown>,
  select: string | null | undefined,
): Record<string, unknown> {
  if (!select) return json;
  const wanted = new Set(select.split(',').map((s) => s.trim().toLowerCase()));
  const out: Record<string, unknown> = { '@odata.etag': json['@odata.etag'], id: json.id };
  for (const [k, v] of Object.entries(json)) if (wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}
