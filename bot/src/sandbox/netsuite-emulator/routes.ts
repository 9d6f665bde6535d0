import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './errors.js';
import type { RecordStore, StoredRecord } from './store.js';
import { runQuery } from './suiteql-eval.js';
import { SuiteQLSyntaxError } from './suiteql-lexer.js';
import { parseSuiteQL } from './suiteql-parser.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Which record a message may link to, by field. */
const LINK_TYPES: Record<string, string[]> = {
  entity: ['customer', 'contact', 'vendor', 'partner'],
  activity: ['supportCase'],
  transaction: ['transaction'],
};

export interface RouteContext {
  store: RecordStore;
  baseUrl: string;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: string;
}

/** `POST /services/rest/query/v1/suiteql?limit&offset` with `Prefer: transient` and `{"q": "…"}`. */
export function handleSuiteQL(ctx: RouteContext) {
  const { req, res, url } = ctx;
  if (!/transient/i.test(String(req.headers.prefer ?? ''))) {
    return sendError(res, 400, 'INVALID_PARAMETER', 'The "Prefer: transient" header is required for SuiteQL queries.');
  }
  const limit = Number(url.searchParams.get('limit') ?? 1000);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return sendError(res, 400, 'INVALID_PARAMETER', 'The limit must be an integer between 1 and 1000.');
  }
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) {
    return sendError(res, 400, 'INVALID_PARAMETER', 'The offset must be a multiple of the limit.');
  }
  let q: string;
  try {
    q = String((JSON.parse(ctx.body) as { q?: unknown }).q ?? '');
  } catch {
    return sendError(res, 400, 'INVALID_CONTENT', 'The request body is not valid JSON.');
  }
  let rows: ReturnType<typeof runQuery>;
  try {
    const parsed = parseSuiteQL(q);
    if (!ctx.store.knownTable(parsed.table)) {
      return sendError(res, 400, 'INVALID_PARAMETER', `Invalid search query. Unknown record type: ${parsed.table}.`);
    }
    rows = runQuery(parsed, ctx.store.rows(parsed.table));
  } catch (err) {
    if (!(err instanceof SuiteQLSyntaxError)) throw err;
    return sendError(
      res,
      400,
      'INVALID_PARAMETER',
      `Invalid search query. Detailed unprocessed description follows. ${err.message}`,
    );
  }
  const items = rows.slice(offset, offset + limit).map((r) => ({ links: [], ...r }));
  const self = `${ctx.baseUrl}/services/rest/query/v1/suiteql?limit=${limit}&offset=${offset}`;
  const links = [{ rel: 'self', href: self }];
  if (offset + limit < rows.length) {
    links.push({
      rel: 'next',
      href: `${ctx.baseUrl}/services/rest/query/v1/suiteql?limit=${limit}&offset=${offset + limit}`,
    });
  }
  sendJson(res, 200, {
    links,
    count: items.length,
    hasMore: offset + limit < rows.length,
    items,
    offset,
    totalResults: rows.length,
  });
}

/** `POST /services/rest/record/v1/<type>` → 204 with Location. */
export function handleCreate(ctx: RouteContext, type: string): StoredRecord | undefined {
  const { res, store } = ctx;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(ctx.body) as Record<string, unknown>;
  } catch {
    sendError(res, 400, 'INVALID_CONTENT', 'The request body is not valid JSON.');
    return undefined;
  }
  const externalId = fields.externalId;
  if (typeof externalId === 'string' && store.findByExternalId(type, externalId)) {
    sendError(res, 400, 'DUP_RCRD', `A ${type} record with this external ID (${externalId}) already exists.`);
    return undefined;
  }
  if (type === 'message') {
    const problem = checkMessage(store, fields);
    if (problem) {
      sendError(res, 400, 'USER_ERROR', problem);
      return undefined;
    }
  }
  const rec = store.create(type, fields);
  res.writeHead(204, { location: `${ctx.baseUrl}/services/rest/record/v1/${type}/${rec.id}` });
  res.end();
  return rec;
}

function checkMessage(store: RecordStore, f: Record<string, unknown>): string | null {
  if (!f.author && !f.authorEmail) return 'Please enter value(s) for: Author';
  for (const [field, types] of Object.entries(LINK_TYPES)) {
    const id = (f[field] as { id?: unknown } | undefined)?.id;
    if (id === undefined) continue;
    if (!types.some((t) => store.get(t, String(id)))) return `Invalid ${field} reference key ${String(id)}.`;
  }
  if (!f.entity && !f.activity && !f.transaction) return 'A message must be attached to a record.';
  return null;
}

/** `POST /services/rest/document/v1/file`: a File Cabinet file, base64 content, 10 MB at most. */
export function handleFileUpload(ctx: RouteContext) {
  const { res, store } = ctx;
  let f: { name?: string; folder?: { id?: string }; content?: string; description?: string };
  try {
    f = JSON.parse(ctx.body) as typeof f;
  } catch {
    return sendError(res, 400, 'INVALID_CONTENT', 'The request body is not valid JSON.');
  }
  if (!f.name || !f.folder?.id) return sendError(res, 400, 'USER_ERROR', 'Please enter value(s) for: Name, Folder');
  const bytes = Buffer.from(f.content ?? '', 'base64').length;
  if (bytes > MAX_FILE_BYTES) return sendError(res, 400, 'FILE_TOO_LARGE', 'The file exceeds the 10 MB limit.');
  const rec = store.create('file', {
    name: f.name,
    folder: { id: f.folder.id },
    description: f.description,
    filesize: bytes,
  });
  res.writeHead(204, { location: `${ctx.baseUrl}/services/rest/document/v1/file/${rec.id}` });
  res.end();
}

/** `POST /services/rest/record/v1/message/<id>/!attach/file/<fileId>`. */
export function handleAttach(ctx: RouteContext, messageId: string, fileId: string) {
  const { res, store } = ctx;
  if (!store.get('message', messageId) || !store.get('file', fileId)) {
    return sendError(
      res,
      404,
      'NONEXISTENT_ID',
      'The record instance does not exist. Provide a valid record instance ID.',
    );
  }
  const list = store.attachments.get(messageId) ?? [];
  if (!list.includes(fileId)) list.push(fileId);
  store.attachments.set(messageId, list);
  res.writeHead(204);
  res.end();
}

/** `GET /services/rest/record/v1/<type>/<id>[?fields=a,b]`. */
export function handleGet(ctx: RouteContext, type: string, id: string) {
  const rec = ctx.store.get(type, id);
  if (!rec) {
    return sendError(
      ctx.res,
      404,
      'NONEXISTENT_ID',
      'The record instance does not exist. Provide a valid record instance ID.',
    );
  }
  const wanted = ctx.url.searchParams.get('fields')?.split(',');
  const fields = Object.fromEntries(Object.entries(rec.fields).filter(([k]) => !wanted || wanted.includes(k)));
  sendJson(ctx.res, 200, {
    links: [{ rel: 'self', href: `${ctx.baseUrl}/services/rest/record/v1/${type}/${id}` }],
    id: rec.id,
    ...fields,
  });
}
