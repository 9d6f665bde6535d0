import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import { markRefusalLogged, noteRefusal, sendError, sendJson, sendStatus } from './respond.js';
import type { Handler, HttpRequest, Router } from './router.js';
import { serveStatic } from './static-files.js';
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

function tabHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', TAB_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * A token the verifier refused is a 401, or a 403 for another organization's: always a sign-in refusal, never a
 * 500, whatever the verifier threw.
 */
function signInRefusal(err: unknown): MailroomError {
  if (err instanceof MailroomError && (err.code === 'unauthorized' || err.code === 'wrong_tenant')) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { status?: number }).status === 403 ? 'forbidden' : 'unauthorized';
  return new MailroomError(code, message, { cause: err });
}

/** Mounts the dashboard: its static files under /tab and its API under /api/tab, each request's token verified. */
export function tabRoutes(router: Router, body: (h: Handler) => Handler, mount: TabMount, log: Logger): void {
  for (const r of mount.publicRoutes ?? []) {
    router.get(r.path, async (req, res) => {
      const out = await r.handler({ query: req.query });
      sendJson(res, out.status, out.body);
    });
  }
  // The token is checked before the body is read: a caller without one costs no parsing.
  const authenticate = async (req: HttpRequest, res: ServerResponse): Promise<TabIdentity | null> => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const header = req.headers.authorization;
    try {
      return await mount.verify(header);
    } catch (err) {
      sendError(res, signInRefusal(err));
      return null;
    }
  };
  for (const r of mount.routes) {
    const handler = async (identity: TabIdentity, req: HttpRequest, res: ServerResponse) => {
      const input = { query: req.query, params: req.params, body: req.body };
      const bad = unstorableField(input);
      if (bad) {
        // The server's one line for this refusal names the field.
        const why = `${bad} holds a character Mailroom does not accept (a NUL byte or a broken surrogate).`;
        return sendError(res, new MailroomError('bad_request', why));
      }
      try {
        const out = await r.handler({ identity, query: input.query, params: input.params, body: input.body });
        if (out.status >= 500) {
          log.error({ err: out.cause, path: r.path }, 'tab api failed');
          markRefusalLogged(res);
        } else if (out.status >= 400) {
          // The route's own refusal (not found, not yours, a bad filter): its code goes on the server's one line.
          const error = (out.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
          if (typeof error?.code === 'string') noteRefusal(res, error.code, String(error.message ?? ''));
        }
        sendJson(res, out.status, out.body);
      } catch (err) {
        log.error({ err, path: r.path }, 'tab api failed');
        sendError(res, new MailroomError('internal', 'the tab route threw', { cause: err }));
        markRefusalLogged(res);
      }
    };
    if (r.method === 'GET') {
      router.get(r.path, async (req, res) => {
        const identity = await authenticate(req, res);
        if (identity) await handler(identity, req, res);
      });
    } else {
      router.post(r.path, async (req, res) => {
        const identity = await authenticate(req, res);
        if (identity) await body((rq, rs) => handler(identity, rq, rs))(req, res);
      });
    }
  }
  if (mount.staticDir) {
    const dir = mount.staticDir;
    router.get('/tab/*', async (req, res) => {
      tabHeaders(res);
      await serveStatic(dir, req.path.slice('/tab/'.length), res);
    });
    router.get('/tab', (_req, res) => {
      tabHeaders(res);
      res.setHeader('location', '/tab/index.html');
      sendStatus(res, 302);
    });
  }
}
