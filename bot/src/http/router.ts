import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { MailroomError } from '../core/errors.js';

/** One request as Mailroom's handlers read it: node's request, with the path, query, route params and body. */
export interface HttpRequest {
  raw: IncomingMessage;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The query string's fields; a field given twice is an array. */
  query: Record<string, string | string[]>;
  /** The route's `:name` segments, decoded. */
  params: Record<string, string>;
  /** The parsed JSON body (routes that read one), or the text of a body that is not JSON. */
  body: unknown;
  /** A per-request id for log lines. */
  id: string;
}

export type Handler = (req: HttpRequest, res: ServerResponse) => Promise<void> | void;

/** Why a request matches no route: not found, a bad path, or (with the methods it takes) another method. */
export interface NoRoute {
  refusal: MailroomError;
  /** For a 405: the Allow header. */
  allow?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * A route table: exact paths with `:name` segments, and a trailing `/*` for everything under a prefix. A path that
 * matches no route is a 404; a path that matches only under other methods is a 405 naming them in `Allow`.
 */
export class Router {
  private readonly routes: Route[] = [];

  get(path: string, handler: Handler): void {
    this.add('GET', path, handler);
  }
  head(path: string, handler: Handler): void {
    this.add('HEAD', path, handler);
  }
  post(path: string, handler: Handler): void {
    this.add('POST', path, handler);
  }

  private add(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg, i, all) => {
        if (seg === '*' && i === all.length - 1) return '.*';
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
  }

  /** The handler and params for a request, or why none answers it (404, 405, or a 400 for a broken path). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | NoRoute {
    const allowed = new Set<string>();
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        allowed.add(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [i, name] of r.names.entries()) {
        const value = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(value);
        } catch {
          const refusal = new MailroomError(
            'bad_request',
            `The path segment "${value}" is not valid percent-encoding.`,
          );
          return { refusal };
        }
      }
      return { handler: r.handler, params };
    }
    if (allowed.size > 0) {
      const refusal = new MailroomError('method_not_allowed', `${method} is not allowed on ${path}.`);
      return { refusal, allow: [...allowed].join(', ') };
    }
    return { refusal: new MailroomError('not_found', `${path} does not exist.`) };
  }
}

/** The query string's fields: one value a string, a repeated field an array. */
export function parseQuery(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * Reads a request body of at most `maxBytes`: a declared Content-Length over it is refused before anything is
 * read, and a body that grows past it (chunked) is refused as soon as it does. JSON (`application/json` or
 * `…+json`) is parsed; any other body is kept as text, which each route's own check then refuses.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new MailroomError('payload_too_large', `The request body is over ${maxBytes} bytes.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !type.endsWith('+json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MailroomError('bad_request', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

export function requestOf(raw: IncomingMessage, url: URL, params: Record<string, string>): HttpRequest {
  return {
    raw,
    method: raw.method ?? 'GET',
    path: url.pathname,
    headers: raw.headers,
    query: parseQuery(url.searchParams),
    params,
    body: undefined,
    id: randomUUID(),
  };
}
