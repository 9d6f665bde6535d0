import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as the route handlers see it. */
export interface Req {
  method: string;
  /** Path without the query, e.g. /v1.0/users/x. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Prefer: IdType="ImmutableId" was sent. */
  immutable: boolean;
  /** Prefer: odata.maxpagesize=N, when sent. */
  maxPageSize: number | undefined;
  /** The application permissions (`roles`) of the request's token; empty until the token is checked. */
  roles: ReadonlySet<string>;
  json<T = Record<string, unknown>>(): T | undefined;
}

export function preferences(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export async function readReq(req: IncomingMessage, limitBytes = 1_000_000): Promise<Req> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return toReq(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
}

/** A request from its parts: one off the socket, or one item of a JSON batch. */
export function toReq(method: string, rawUrl: string, headers: IncomingMessage['headers'], body: string): Req {
  const url = new URL(rawUrl, 'http://emulator');
  const prefs = preferences(headers.prefer);
  const pageSize = prefs.map((p) => /^odata\.maxpagesize=(\d+)$/i.exec(p)?.[1]).find((v) => v !== undefined);
  return {
    method,
    path: url.pathname.replace(/\/+$/, '') || '/',
    query: url.searchParams,
    headers,
    body,
    immutable: prefs.some((p) => p.replace(/\s/g, '') === 'IdType="ImmutableId"'),
    maxPageSize: pageSize === undefined ? undefined : Number(pageSize),
    roles: new Set(),
    json<T>() {
      if (body.trim() === '') return undefined;
      try {
        return JSON.parse(body) as T;
      } catch {
        return undefined;
      }
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': 'application/json;odata.metadata=minimal;charset=utf-8' }),
    ...headers,
  });
  res.end(text);
}

/** Graph's error shape: {"error":{"code","message","innerError":{date, request-id, client-request-id}}}. */
export function graphError(
  res: ServerResponse,
  req: Pick<Req, 'headers'>,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const requestId = randomUUID();
  const clientRequestId = String(req.headers['client-request-id'] ?? requestId);
  sendJson(
    res,
    status,
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': clientRequestId },
      },
    },
    { 'request-id': requestId, 'client-request-id': clientRequestId, ...headers },
  );
}

/** Matches `/v1.0/users/:user/messages/:id` style patterns; returns the named parts or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? '';
    const val = a[i] ?? '';
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(val);
    else if (seg.toLowerCase() !== val.toLowerCase()) return null;
  }
  return out;
}
