import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { MailroomError } from '../../../bot/src/core/errors.js';
import type { TabIdentity } from '../../../bot/src/tab-api/identity.js';
import { errorResponse, type TabRoute } from '../../../bot/src/tab-api/route.js';

interface AnyRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (ctx: {
    identity: TabIdentity;
    query: Record<string, unknown>;
    params: Record<string, string>;
    body: unknown;
  }) => Promise<{ status: number; body: unknown }>;
}

export interface RouteServer {
  baseUrl: string;
  /** Routes that need no token (the sandbox issuer's). */
  mountOpen(routes: Array<Pick<TabRoute, 'method' | 'path'> & { handler: (ctx: never) => unknown }>): void;
  /** Routes behind the SSO verifier, as the lead mounts tabRoutes(). */
  mountAuthed(routes: TabRoute[], verify: (bearer: string | undefined) => Promise<TabIdentity>): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

function matcher(path: string): RegExp {
  return new RegExp(`^${path.replace(/:([a-zA-Z]+)/g, '(?<$1>[^/]+)')}$`);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** A stand-in for the lead's restify mount: loopback only, optional static tab under /tab/. */
export async function startRouteServer(opts: { staticDir?: string } = {}): Promise<RouteServer> {
  const table: Array<{
    method: string;
    re: RegExp;
    run: (
      req: IncomingMessage,
      params: Record<string, string>,
      query: Record<string, unknown>,
    ) => Promise<{ status: number; body: unknown }>;
  }> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      for (const r of table) {
        const m = r.re.exec(url.pathname);
        if (!m || r.method !== req.method) continue;
        const query = Object.fromEntries(url.searchParams.entries());
        const out = await r.run(req, { ...(m.groups ?? {}) }, query);
        return send(out.status, out.body);
      }
      if (opts.staticDir && req.method === 'GET' && url.pathname.startsWith('/tab/')) {
        const rel = normalize(url.pathname.slice('/tab/'.length)).replace(/^(\.\.[/\\])+/, '');
        const file = rel && extname(rel) ? join(opts.staticDir, rel) : join(opts.staticDir, 'index.html');
        try {
          const data = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
          return res.end(data);
        } catch (err) {
          return send(404, { error: { code: 'not_found', message: String(err) } });
        }
      }
      return send(404, { error: { code: 'not_found', message: `${req.method} ${url.pathname}` } });
    })().catch((err: unknown) => send(500, { error: { code: 'internal', message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    mountOpen(routes) {
      for (const r of routes) {
        table.push({
          method: r.method,
          re: matcher(r.path),
          run: async (_req, params, query) =>
            (await r.handler({ query, params } as never)) as { status: number; body: unknown },
        });
      }
    },
    mountAuthed(routes, verify) {
      for (const r of routes as AnyRoute[]) {
        table.push({
          method: r.method,
          re: matcher(r.path),
          run: async (req, params, query) => {
            let identity: TabIdentity;
            try {
              identity = await verify(req.headers.authorization);
            } catch (err) {
              if (err instanceof MailroomError) return errorResponse(err);
              throw err;
            }
            return r.handler({
              identity,
              query,
              params,
              body: req.method === 'POST' ? await readBody(req) : undefined,
            });
          },
        });
      }
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
