// What Mailroom POSTs to the save RESTlet, and what the RESTlet answers. Anything else is refused, so a caller that
// drifts from this contract fails loudly instead of saving half an email.

export type RecordType = 'customer' | 'contact' | 'vendor' | 'partner' | 'supportcase' | 'opportunity' | 'transaction';

export interface Attachment {
  /** The file's place among the email's attachments; part of its stored name, so every record finds the same file. */
  index: number;
  name: string;
  contentType: string;
  /** Base64. */
  content: string;
}

export interface SaveRequest {
  /** The message's externalId: one per (email, record). */
  externalId: string;
  /** One per email: the prefix of its stored file names. */
  fileKey: string;
  record: { type: RecordType; id: string };
  subject: string;
  /** HTML. */
  body: string;
  authorEmail: string;
  recipientEmail: string;
  /** Comma-separated addresses. */
  cc: string;
  bcc: string;
  /** ISO 8601. */
  messageDate: string;
  /** A File Cabinet folder id; without it the SuiteApp's own attachments folder. */
  folderId?: string;
  attachments: Attachment[];
}

export interface FileOutcome {
  index: number;
  name: string;
  status: 'saved' | 'skipped_too_large' | 'failed';
  fileId?: string;
  reason?: string;
}

export interface SaveResponse {
  messageId: string;
  /** False when the message was there already (a retry): nothing new was made. */
  created: boolean;
  files: FileOutcome[];
}

const TYPES = ['customer', 'contact', 'vendor', 'partner', 'supportcase', 'opportunity', 'transaction'];
const KEYS = [
  'externalId',
  'fileKey',
  'record',
  'subject',
  'body',
  'authorEmail',
  'recipientEmail',
  'cc',
  'bcc',
  'messageDate',
  'folderId',
  'attachments',
];
const ATTACHMENT_KEYS = ['index', 'name', 'contentType', 'content'];
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DIGITS = /^[1-9][0-9]{0,18}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Fail = (name: string, message: string) => never;

function str(o: Record<string, unknown>, key: string, fail: Fail): string {
  const v = o[key];
  if (typeof v !== 'string') return fail('MAILROOM_BAD_REQUEST', `${key} must be a string`);
  return v;
}

function onlyKeys(o: Record<string, unknown>, allowed: string[], where: string, fail: Fail): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail('MAILROOM_BAD_REQUEST', `unknown field ${where}${k}`);
  }
}

function obj(v: unknown, where: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return fail('MAILROOM_BAD_REQUEST', `${where} must be an object`);
  }
  return v as Record<string, unknown>;
}

/** Checks the body NetSuite hands the `post` entry point (already parsed from application/json). */
export function parseRequest(body: unknown, fail: Fail): SaveRequest {
  const o = obj(typeof body === 'string' ? safeJson(body, fail) : body, 'the request body', fail);
  onlyKeys(o, KEYS, '', fail);
  const rec = obj(o.record, 'record', fail);
  onlyKeys(rec, ['type', 'id'], 'record.', fail);
  const type = str(rec, 'type', fail);
  const id = str(rec, 'id', fail);
  if (!TYPES.includes(type)) fail('MAILROOM_BAD_REQUEST', `record.type ${type} is not one Mailroom saves to`);
  if (!DIGITS.test(id)) fail('MAILROOM_BAD_REQUEST', 'record.id must be a NetSuite internal id');
  const externalId = str(o, 'externalId', fail);
  const fileKey = str(o, 'fileKey', fail);
  if (!ID.test(externalId))
    fail('MAILROOM_BAD_REQUEST', 'externalId may hold only letters, digits, _ and - (64 at most)');
  if (!ID.test(fileKey)) fail('MAILROOM_BAD_REQUEST', 'fileKey may hold only letters, digits, _ and - (64 at most)');
  const messageDate = str(o, 'messageDate', fail);
  if (Number.isNaN(Date.parse(messageDate))) fail('MAILROOM_BAD_REQUEST', 'messageDate must be an ISO 8601 date');
  let folderId: string | undefined;
  if (o.folderId !== undefined) {
    folderId = str(o, 'folderId', fail);
    if (!DIGITS.test(folderId)) fail('MAILROOM_BAD_REQUEST', 'folderId must be a NetSuite internal id');
  }
  if (!Array.isArray(o.attachments)) fail('MAILROOM_BAD_REQUEST', 'attachments must be a list');
  const attachments = (o.attachments as unknown[]).map((raw, i) => {
    const a = obj(raw, `attachments[${i}]`, fail);
    onlyKeys(a, ATTACHMENT_KEYS, `attachments[${i}].`, fail);
    const index = a.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      fail('MAILROOM_BAD_REQUEST', `attachments[${i}].index must be a whole number`);
    }
    const content = str(a, 'content', fail);
    if (content.length % 4 !== 0 || !BASE64.test(content)) {
      fail('MAILROOM_BAD_REQUEST', `attachments[${i}].content must be base64`);
    }
    return { index, name: str(a, 'name', fail), contentType: str(a, 'contentType', fail), content };
  });
  const req: SaveRequest = {
    externalId,
    fileKey,
    record: { type: type as RecordType, id },
    subject: str(o, 'subject', fail),
    body: str(o, 'body', fail),
    authorEmail: str(o, 'authorEmail', fail),
    recipientEmail: str(o, 'recipientEmail', fail),
    cc: str(o, 'cc', fail),
    bcc: str(o, 'bcc', fail),
    messageDate,
    attachments,
  };
  if (folderId !== undefined) req.folderId = folderId;
  return req;
}

function safeJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail('MAILROOM_BAD_REQUEST', 'the request body is not JSON (send Content-Type: application/json)');
  }
}
