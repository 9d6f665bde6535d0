import type { MailAttachment, SaveEmailResult } from '../core/ports.js';
import type { NetSuiteClient } from './client.js';
import type { Row } from './rows.js';
import { fileByNameQuery } from './suiteql.js';

/** NetSuite's File Cabinet takes at most 10 MB per file through REST. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type AttachmentOutcome = SaveEmailResult['attachments'][number];

/**
 * Puts a file into the File Cabinet and attaches it to a saved message. Behind an interface because accounts
 * differ: some refuse REST file writes, and a RESTlet (N/file + record.attach) can take over.
 */
export interface AttachmentWriter {
  save(input: { messageId: string; externalId: string; attachment: MailAttachment; index: number }): Promise<string>;
}

/**
 * REST: the document service holds File Cabinet files (10 MB per request), and `!attach` links a file to a
 * record. https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0909085903.html
 */
export class RestAttachmentWriter implements AttachmentWriter {
  constructor(
    private readonly client: NetSuiteClient,
    private readonly folderId: string,
  ) {}

  async save(input: { messageId: string; externalId: string; attachment: MailAttachment; index: number }) {
    // The stored name carries the save's externalId, so a retry finds the file instead of uploading it twice.
    const name = `${input.externalId}-${input.index}-${safeName(input.attachment.name)}`;
    const existing = await this.client.suiteql<Row>(fileByNameQuery(this.folderId, name), { limit: 1 });
    let fileId = existing.items[0]?.id;
    if (!fileId) {
      fileId = await this.client.create(
        'file',
        {
          name,
          folder: { id: this.folderId },
          description: input.attachment.name,
          content: input.attachment.contentBytes ?? '',
        },
        { path: '/services/rest/document/v1/file' },
      );
    }
    await this.client.request(
      'POST',
      `/services/rest/record/v1/message/${encodeURIComponent(input.messageId)}/!attach/file/${encodeURIComponent(fileId)}`,
      { what: 'attach file to message' },
    );
    return fileId;
  }
}

/** File Cabinet names avoid path characters; keep the extension so the file opens. */
function safeName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .trim();
  return (cleaned || 'attachment').slice(-150);
}

/** Saves each file attachment; a failure or an oversized file is reported, never fatal to the save. */
export async function saveAttachments(
  writer: AttachmentWriter | null,
  input: { messageId: string; externalId: string; attachments: MailAttachment[] },
): Promise<AttachmentOutcome[]> {
  const out: AttachmentOutcome[] = [];
  for (const [index, a] of input.attachments.entries()) {
    if (a.contentBytes === undefined) {
      out.push({ name: a.name, status: 'failed', reason: 'not a file (an attached item or a link)' });
    } else if (a.size > MAX_ATTACHMENT_BYTES || base64Bytes(a.contentBytes) > MAX_ATTACHMENT_BYTES) {
      out.push({ name: a.name, status: 'skipped_too_large', reason: 'over NetSuite’s 10 MB file limit' });
    } else if (!writer) {
      out.push({ name: a.name, status: 'failed', reason: 'no File Cabinet folder is set (NETSUITE_FOLDER_ID)' });
    } else {
      try {
        await writer.save({ messageId: input.messageId, externalId: input.externalId, attachment: a, index });
        out.push({ name: a.name, status: 'saved' });
      } catch (err) {
        out.push({ name: a.name, status: 'failed', reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return out;
}

function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}
