import type { ServerResponse } from 'node:http';
import { graphError, type Req, sendJson, toReq } from './http.js';

/** https://learn.microsoft.com/graph/json-batching#batch-size-limitations */
export const MAX_BATCH_REQUESTS = 20;
const ITEM_FIELDS = new Set(['id', 'method', 'url', 'headers', 'body', 'dependsOn']);
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

interface ItemAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A response that keeps what a route wrote (routes answer through sendJson: writeHead, then end). */
class CapturedResponse {
  statusCode = 200;
  headersSent = false;
  headers: Record<string, string> = {};
  text = '';

  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.statusCode = status;
    // Graph writes an item's headers as Content-Type and Retry-After; the Graph library reads Content-Type by
    // that exact name to decide whether the body is JSON.
    this.headers = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k === 'content-type' ? 'Content-Type' : k, v]),
    );
    this.headersSent = true;
    return this;
  }

  end(text?: string): this {
    this.text = text ?? '';
    return this;
  }
}

type Problem = string | null;

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

/** The batch body checked as Graph documents it; the first thing wrong, or the items. */
function parseBatch(raw: unknown): { problem: Problem; items: BatchItem[] } {
  const fail = (problem: string) => ({ problem, items: [] });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('The batch body must be a JSON object.');
  const unknown = Object.keys(raw).filter((k) => k !== 'requests');
  if (unknown.length > 0) return fail(`Unknown property '${unknown[0]}' in the batch body.`);
  const requests = (raw as { requests?: unknown }).requests;
  if (!Array.isArray(requests) || requests.length === 0) return fail('The batch must hold a non-empty requests array.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    return fail(`A batch holds at most ${MAX_BATCH_REQUESTS} requests; this one has ${requests.length}.`);
  }
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const r of requests as unknown[]) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return fail('Each batch request must be an object.');
    const o = r as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !ITEM_FIELDS.has(k));
    if (extra !== undefined) return fail(`Unknown property '${extra}' in a batch request.`);
    if (typeof o.id !== 'string' || o.id === '') return fail('Each batch request needs a string id.');
    // Ids are not case-sensitive and must be unique in the batch.
    if (seen.has(o.id.toLowerCase())) return fail(`The id '${o.id}' is used twice in the batch.`);
    seen.add(o.id.toLowerCase());
    if (typeof o.method !== 'string' || !METHODS.has(o.method.toUpperCase())) {
      return fail(`Batch request '${o.id}' has no valid method.`);
    }
    if (typeof o.url !== 'string' || o.url === '') return fail(`Batch request '${o.id}' has no url.`);
    if (/^[a-z][a-z0-9+.-]*:/i.test(o.url) || o.url.startsWith('//')) {
      return fail(`Batch request '${o.id}' must use a relative url (such as /users), not '${o.url}'.`);
    }
    if (/^\/?\$batch\b/i.test(o.url)) return fail('A batch cannot hold another batch.');
    if (o.headers !== undefined && !isStringMap(o.headers)) return fail(`The headers of '${o.id}' must be strings.`);
    const headers = (o.headers ?? {}) as Record<string, string>;
    if (o.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      return fail(`Batch request '${o.id}' has a body but no Content-Type header.`);
    }
    if (o.dependsOn !== undefined && (!Array.isArray(o.dependsOn) || o.dependsOn.some((d) => typeof d !== 'string'))) {
      return fail(`The dependsOn of '${o.id}' must be an array of ids.`);
    }
    items.push({
      id: o.id,
      method: o.method.toUpperCase(),
      url: o.url,
      headers,
      ...(o.body !== undefined ? { body: o.body } : {}),
      dependsOn: (o.dependsOn as string[] | undefined) ?? [],
    });
  }
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  for (const i of items) {
    const missing = i.dependsOn.find((d) => !ids.has(d.toLowerCase()));
    if (missing !== undefined)
      return fail(`Batch request '${i.id}' depends on '${missing}', which is not in the batch.`);
  }
  return { problem: null, items };
}

/** Runs items whose dependencies are done, in order; null when dependsOn makes a cycle. */
function order(items: BatchItem[]): BatchItem[] | null {
  const done = new Set<string>();
  const out: BatchItem[] = [];
  while (out.length < items.length) {
    const next = items.find(
      (i) => !done.has(i.id.toLowerCase()) && i.dependsOn.every((d) => done.has(d.toLowerCase())),
    );
    if (!next) return null;
    done.add(next.id.toLowerCase());
    out.push(next);
  }
  return out;
}

/** One item as a request of its own: the batch's own headers (the token, client-request-id), then the item's. */
function itemReq(batch: Req, item: BatchItem): Req {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const k of ['authorization', 'client-request-id']) headers[k] = batch.headers[k];
  for (const [k, v] of Object.entries(item.headers)) headers[k.toLowerCase()] = v;
  const body = item.body === undefined ? '' : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  return toReq(item.method, `/v1.0/${item.url.replace(/^\/+/, '')}`, headers, body);
}

/**
 * POST /$batch (https://learn.microsoft.com/graph/json-batching): up to 20 requests, each answered on its own with
 * its status, headers and body, in one 200. A malformed batch (more than 20, duplicate ids, an absolute url, an
 * unknown property, a dependsOn naming nothing) is refused whole with 400. Each item goes through the same routes,
 * token check and throttling as a request of its own, so an item can be throttled (429 with its Retry-After) while
 * the others succeed; an item whose dependency failed answers 424.
 */
export async function handleBatch(
  req: Req,
  res: ServerResponse,
  run: (item: Req, res: ServerResponse) => Promise<void>,
  log: (item: Req, status: number) => void,
): Promise<void> {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(contentType)) {
    return graphError(res, req, 415, 'BadRequest', 'A batch must be sent as application/json.');
  }
  const raw = req.json<unknown>();
  if (raw === undefined) return graphError(res, req, 400, 'BadRequest', 'Invalid batch payload format.');
  const { problem, items } = parseBatch(raw);
  if (problem !== null) return graphError(res, req, 400, 'BadRequest', problem);
  const sequence = order(items);
  if (!sequence) return graphError(res, req, 400, 'BadRequest', 'The dependsOn of the batch make a cycle.');
  const failed = new Set<string>();
  const responses: ItemAnswer[] = [];
  for (const item of sequence) {
    const one = itemReq(req, item);
    if (item.dependsOn.some((d) => failed.has(d.toLowerCase()))) {
      failed.add(item.id.toLowerCase());
      const dep = new CapturedResponse();
      graphError(dep as unknown as ServerResponse, one, 424, 'FailedDependency', 'A request it depends on failed.');
      responses.push({ id: item.id, status: 424, headers: dep.headers, body: JSON.parse(dep.text) as unknown });
      log(one, 424);
      continue;
    }
    const captured = new CapturedResponse();
    await run(one, captured as unknown as ServerResponse);
    if (captured.statusCode >= 400) failed.add(item.id.toLowerCase());
    log(one, captured.statusCode);
    responses.push({
      id: item.id,
      status: captured.statusCode,
      headers: captured.headers,
      ...(captured.text === '' ? {} : { body: JSON.parse(captured.text) as unknown }),
    });
  }
  sendJson(res, 200, { responses });
}
