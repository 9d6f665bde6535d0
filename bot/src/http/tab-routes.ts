import type { Logger } from 'pino';
import restify, { type Request, type RequestHandler, type Response, type Server } from 'restify';
import { markRefusalLogged, sendError } from './respond.js';

export interface TabIdentity {
  oid: string;
  tid: string;
  name: string;
  upn: string;
}

export interface TabRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (ctx: {
    identity: TabIdentity;
    query: Record<string, unknown>;
    params: Record<string, string>;
    body: unknown;
  }) => Promise<{ status: number; body: unknown }>;
}

export interface TabMount {
  /** Where the built tab lives on disk (tab/dist). */
  staticDir: string | undefined;
  routes: TabRoute[];
  /** Verifies the SSO bearer token; throws with a status when it is not acceptable. */
  verify: (authorization: string | undefined) => Promise<TabIdentity>;
  /** Routes that need no token (the sandbox's local issuer). */
  publicRoutes?: Array<{
    method: 'GET';
    path: string;
    handler: (req: { query: Record<string, unknown> }) => Promise<{ status: number; body: unknown }>;
  }>;
}

/** Mounts the dashboard: its static files under /tab and its API under /api/tab, each request's token verified. */
export function tabRoutes(server: Server, body: RequestHandler[], mount: TabMount, log: Logger): void {
  for (const r of mount.publicRoutes ?? []) {
    server.get(r.path, async (req: Request, res: Response) => {
      const out = await r.handler({ query: (req.query ?? {}) as Record<string, unknown> });
      res.json(out.status, out.body);
    });
  }
  const identities = new WeakMap<Request, TabIdentity>();
  // The token is checked before the body is read: a caller without one costs no parsing.
  const authenticate: RequestHandler = (req, res, next) => {
    mount.verify(req.header('authorization')).then(
      (identity) => {
        identities.set(req, identity);
        next();
      },
      (err: unknown) => {
        const status = (err as { status?: number }).status === 403 ? 403 : 401;
        const code = (err as { code?: unknown }).code;
        sendError(res, status, typeof code === 'string' ? code : 'unauthorized', (err as Error).message);
        next(false);
      },
    );
  };
  for (const r of mount.routes) {
    const handler = async (req: Request, res: Response) => {
      const identity = identities.get(req);
      if (!identity) return sendError(res, 401, 'unauthorized', 'Sign-in required.');
      try {
        const out = await r.handler({
          identity,
          query: (req.query ?? {}) as Record<string, unknown>,
          params: (req.params ?? {}) as Record<string, string>,
          body: req.body,
        });
        res.json(out.status, out.body);
      } catch (err) {
        log.error({ err, path: r.path }, 'tab api failed');
        sendError(res, 500, 'internal', 'Something went wrong; try again.');
        markRefusalLogged(res);
      }
    };
    if (r.method === 'GET') server.get(r.path, authenticate, handler);
    else server.post(r.path, authenticate, ...body, handler);
  }
  if (mount.staticDir) {
    const dir = mount.staticDir;
    server.get('/tab/*', restify.plugins.serveStaticFiles(dir));
    server.get('/tab', async (_req: Request, res: Response) => {
      res.header('location', '/tab/index.html');
      res.send(302);
    });
  }
}
