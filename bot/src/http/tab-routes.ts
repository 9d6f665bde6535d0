import type { Logger } from 'pino';
import restify, { type Request, type RequestHandler, type Response, type Server } from 'restify';
import { markRefusalLogged, sendError } from './respond.js';
import { unstorableField } from './unstorable-text.js';

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
  }) => Promise<{ status: number; body: unknown; cause?: unknown }>;
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

/**
 * Who may frame the tab: Teams and the other Microsoft 365 hosts, as Microsoft lists them for tabs' CSP
 * `frame-ancestors` (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements), and the
 * tab itself. Nothing else may frame it, so a page elsewhere cannot overlay it (clickjacking).
 */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];

/**
 * The built tab's own scripts only (Vite emits no inline script; Fluent UI's inline styles stay allowed), no
 * plugins, no `<base>` or form posts elsewhere.
 */
export const TAB_CSP = [
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const tabHeaders: RequestHandler = (_req, res, next) => {
  res.header('Content-Security-Policy', TAB_CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  next();
};

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
    res.header('X-Content-Type-Options', 'nosniff');
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
      const input = { query: req.query ?? {}, params: req.params ?? {}, body: req.body };
      const bad = unstorableField(input);
      if (bad) {
        // The server's one line for this refusal names the field.
        return sendError(
          res,
          400,
          'bad_request',
          `${bad} holds a character Mailroom does not accept (a NUL byte or a broken surrogate).`,
        );
      }
      try {
        const out = await r.handler({
          identity,
          query: input.query as Record<string, unknown>,
          params: input.params as Record<string, string>,
          body: input.body,
        });
        if (out.status >= 500) {
          log.error({ err: out.cause, path: r.path }, 'tab api failed');
          markRefusalLogged(res);
        }
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
    server.get('/tab/*', tabHeaders, restify.plugins.serveStaticFiles(dir));
    server.get('/tab', tabHeaders, async (_req: Request, res: Response) => {
      res.header('location', '/tab/index.html');
      res.send(302);
    });
  }
}
