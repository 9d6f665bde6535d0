import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './errors.js';
import type { RecordStore } from './store.js';
import { runQuery } from './suiteql-eval.js';
import { SuiteQLSyntaxError } from './suiteql-lexer.js';
import { parseSuiteQL } from './suiteql-parser.js';

/** REST record types Mailroom reads (docs/wire.md N03); `transaction` is not one (the REST API Browser). */
export const READ_TYPES = ['customer', 'contact', 'vendor', 'partner', 'supportCase', 'opportunity'];

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
