// The work of Mailroom's save RESTlet: one email on one NetSuite record, exactly once.
// Field ids come from the SuiteScript Records Browser (record `message`); limits from the pages named beside them.
import * as error from 'N/error';
import * as file from 'N/file';
import * as query from 'N/query';
import * as record from 'N/record';
import * as search from 'N/search';
import {
  type Attachment,
  type FileOutcome,
  parseRequest,
  type SaveRequest,
  type SaveResponse,
} from './mailroom_request';

/** `subject` holds 199 characters (SuiteAnalytics Connect's message table; the Records Browser gives no length). */
export const SUBJECT_MAX = 199;
/** `message` holds 65,534 characters by the same source (CloudExtend quotes a larger figure: keep the smaller). */
export const MESSAGE_MAX = 65534;
/** `cc` and `bcc` hold 999 characters. */
export const ADDRESS_LIST_MAX = 999;
/** N/file: "Content held in memory is limited to 10MB" (file.create, O:section_4223861820). */
export const FILE_CONTENT_MAX_BYTES = 10 * 1024 * 1024;
/** The File Cabinet folder this SuiteApp deploys for attachments, found through the file the project puts in it. */
export const ATTACHMENTS_MARKER = 'SuiteScripts/Mailroom/Attachments/README.txt';

/** Which `message` field links it to each of Mailroom's record types, and the SuiteQL table that proves the record. */
const LINKS: Record<string, { field: 'entity' | 'activity' | 'transaction'; table: string; where?: string }> = {
  customer: { field: 'entity', table: 'customer' },
  contact: { field: 'entity', table: 'contact' },
  vendor: { field: 'entity', table: 'vendor' },
  partner: { field: 'entity', table: 'partner' },
  supportcase: { field: 'activity', table: 'supportcase' },
  opportunity: { field: 'transaction', table: 'transaction', where: "type = 'Opprtnty'" },
  transaction: { field: 'transaction', table: 'transaction' },
};

/** The binary file types N/file takes base64 contents for; anything else is stored as MISCBINARY. */
const FILE_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNGIMAGE',
  'image/jpeg': 'JPGIMAGE',
  'image/gif': 'GIFIMAGE',
  'application/zip': 'ZIP',
  'application/vnd.ms-excel': 'EXCEL',
  'application/msword': 'WORD',
};

function fail(name: string, message: string): never {
  throw error.create({ name, message, notifyOff: true });
}

export function saveEmail(body: unknown): SaveResponse {
  const req = parseRequest(body, fail);
  const existing = findMessage(req.externalId);
  if (existing !== null) return { messageId: existing, created: false, files: filesOnMessage(existing, req) };

  const link = LINKS[req.record.type];
  if (!link) return fail('MAILROOM_BAD_REQUEST', `record.type ${req.record.type} cannot hold a message`);
  if (!recordExists(link.table, req.record.id, link.where)) {
    fail('MAILROOM_RECORD_NOT_FOUND', `There is no ${req.record.type} with internal id ${req.record.id}.`);
  }
  const folder = req.folderId === undefined ? attachmentsFolder() : Number(req.folderId);
  const files = req.attachments.map((a) => storeFile(req, a, folder));

  const msg = record.create({ type: record.Type.MESSAGE });
  const subject = fitSubject(req.subject);
  const cc = fitList(req.cc);
  const bcc = fitList(req.bcc);
  const notes: string[] = [];
  if (subject !== req.subject) notes.push(`<p><b>Subject:</b> ${escapeHtml(req.subject)}</p>`);
  if (cc !== req.cc) notes.push(`<p><b>Cc:</b> ${escapeHtml(req.cc)}</p>`);
  if (bcc !== req.bcc) notes.push(`<p><b>Bcc:</b> ${escapeHtml(req.bcc)}</p>`);
  msg.setValue({ fieldId: 'subject', value: subject });
  msg.setValue({ fieldId: 'message', value: capBody(notes.join('') + req.body) });
  msg.setValue({ fieldId: 'authoremail', value: req.authorEmail });
  if (req.recipientEmail !== '') msg.setValue({ fieldId: 'recipientemail', value: req.recipientEmail });
  if (cc !== '') msg.setValue({ fieldId: 'cc', value: cc });
  if (bcc !== '') msg.setValue({ fieldId: 'bcc', value: bcc });
  msg.setValue({ fieldId: 'messagedate', value: new Date(req.messageDate) });
  // Saved, not sent: NetSuite must not mail anyone.
  msg.setValue({ fieldId: 'emailed', value: false });
  msg.setValue({ fieldId: 'externalid', value: req.externalId });
  // Select fields take the internal id as a string (Record.setValue in the N/record typings and help).
  msg.setValue({ fieldId: link.field, value: req.record.id });
  // A message can be edited only while it is created, so its files go on with it, through the `mediaitem` sublist.
  let line = 0;
  for (const f of files) {
    if (f.fileId === undefined) continue;
    msg.setSublistValue({ sublistId: 'mediaitem', fieldId: 'mediaitem', line, value: f.fileId });
    line++;
  }
  const id = msg.save();
  return { messageId: String(id), created: true, files };
}

/** The find is a query, never a bet on NetSuite refusing a second externalId (which it does not document). */
function findMessage(externalId: string): string | null {
  const rows = query.runSuiteQL({ query: 'SELECT id FROM message WHERE externalid = ?', params: [externalId] });
  const first = rows.asMappedResults()[0];
  return first ? String(first.id) : null;
}

function recordExists(table: string, id: string, where?: string): boolean {
  const q = `SELECT id FROM ${table} WHERE id = ?${where ? ` AND ${where}` : ''}`;
  return query.runSuiteQL({ query: q, params: [id] }).asMappedResults().length > 0;
}

function attachmentsFolder(): number {
  let marker: file.File;
  try {
    marker = file.load({ id: ATTACHMENTS_MARKER });
  } catch (e) {
    return fail(
      'MAILROOM_NO_FOLDER',
      `The Mailroom SuiteApp's attachments folder is missing (${ATTACHMENTS_MARKER}): deploy the SuiteApp again. ${String(e)}`,
    );
  }
  return marker.folder;
}

/**
 * A retry after the message was made: each file the message already carries (found by its stored name) is reported
 * as saved; a file it lacks (one that failed the first time) is stored, or found stored, and attached to the saved
 * message with record.attach, since a saved message's own lines cannot change. So a second retry adds nothing.
 */
function filesOnMessage(messageId: string, req: SaveRequest): FileOutcome[] {
  const msg = record.load({ type: record.Type.MESSAGE, id: Number(messageId) });
  const onMessage = new Set<string>();
  const count = msg.getLineCount({ sublistId: 'mediaitem' });
  for (let line = 0; line < count; line++) {
    onMessage.add(String(msg.getSublistValue({ sublistId: 'mediaitem', fieldId: 'mediaitem', line })));
  }
  const folder = req.folderId === undefined ? attachmentsFolder() : Number(req.folderId);
  return req.attachments.map((a) => {
    const stored = storeFile(req, a, folder);
    if (stored.status !== 'saved' || stored.fileId === undefined || onMessage.has(stored.fileId)) return stored;
    try {
      // "To attach a file from the File Cabinet to a record, set type to file" (record.attach, O:section_4267284169).
      record.attach({
        record: { type: 'file', id: Number(stored.fileId) },
        to: { type: record.Type.MESSAGE, id: Number(messageId) },
      });
    } catch (e) {
      return { index: a.index, name: a.name, status: 'failed', reason: `stored, but not attached: ${errorText(e)}` };
    }
    onMessage.add(stored.fileId);
    return stored;
  });
}

function storeFile(req: SaveRequest, a: Attachment, folder: number): FileOutcome {
  const tooBig = sizeProblem(a);
  if (tooBig) return { index: a.index, name: a.name, status: 'skipped_too_large', reason: tooBig };
  const name = storedName(req.fileKey, a);
  try {
    // Stored names carry the email's key, so a second record (or a retry) finds the file instead of storing it again.
    const found = findFile(folder, name);
    if (found !== null) return { index: a.index, name: a.name, status: 'saved', fileId: found };
    const f = file.create({
      name,
      fileType: (FILE_TYPES[a.contentType.toLowerCase()] ?? 'MISCBINARY') as unknown as file.Type,
      contents: a.content,
      description: a.name.slice(0, 999),
      folder,
    });
    return { index: a.index, name: a.name, status: 'saved', fileId: String(f.save()) };
  } catch (e) {
    return { index: a.index, name: a.name, status: 'failed', reason: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e);
}

function sizeProblem(a: Attachment): string | null {
  const bytes = base64Bytes(a.content);
  if (bytes <= FILE_CONTENT_MAX_BYTES) return null;
  return `over NetSuite's 10 MB limit for one file (N/file); this one is ${(bytes / 1048576).toFixed(1)} MB`;
}

function findFile(folder: number, name: string): string | null {
  const hits = search
    .create({
      type: 'file',
      filters: [['folder', 'anyof', String(folder)], 'AND', ['name', 'is', name]],
      columns: ['internalid'],
    })
    .run()
    .getRange({ start: 0, end: 1 });
  const first = hits[0];
  return first ? String(first.id) : null;
}

/** `<fileKey>-<index>-<name>`, with path characters taken out and the extension kept. */
export function storedName(fileKey: string, a: Attachment): string {
  let clean = '';
  for (const c of a.name) clean += c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c;
  clean = clean.trim() || 'attachment';
  return `${fileKey}-${a.index}-${clean.slice(-120)}`;
}

function fitSubject(subject: string): string {
  const s = subject.trim() === '' ? '(no subject)' : subject;
  return s.length <= SUBJECT_MAX ? s : `${s.slice(0, SUBJECT_MAX - 1)}…`;
}

/** A comma-separated address list cut at a whole address. */
function fitList(list: string): string {
  if (list.length <= ADDRESS_LIST_MAX) return list;
  const cut = list.slice(0, ADDRESS_LIST_MAX);
  const lastComma = cut.lastIndexOf(',');
  return lastComma > 0 ? cut.slice(0, lastComma) : '';
}

export function capBody(html: string, limit = MESSAGE_MAX): string {
  if (html.length <= limit) return html;
  const note = `<p><em>[Mailroom: this email was longer than NetSuite stores (${limit} characters); the rest is in the mailbox.]</em></p>`;
  let cut = html.slice(0, Math.max(0, limit - note.length));
  // Leave no half tag or half entity at the cut.
  const lastOpen = cut.lastIndexOf('<');
  if (lastOpen > cut.lastIndexOf('>')) cut = cut.slice(0, lastOpen);
  const lastAmp = cut.lastIndexOf('&');
  if (lastAmp > cut.lastIndexOf(';')) cut = cut.slice(0, lastAmp);
  return cut + note;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}
