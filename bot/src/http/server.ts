import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import { type GraphIntake, graphRoutes } from './graph-routes.js';
import { markRefusalLogged, refusalOf, sendError, sendJson, sendStatus } from './respond.js';
import { type Handler, type HttpRequest, Router, readBody, requestOf } from './router.js';
import { type TabMount, tabRoutes } from './tab-routes.js';

/**
 * What the Bot Framework adapter writes its answer through: botbuilder's `Response` (status, header, send, end),
 * over node's response. `send` serializes an object as JSON, as the invoke answers are.
 */
export interface BotResponse {
  socket: unknown;
  status(code: number): void;
  header(name: string, value: unknown): void;
  send(body: unknown): void;
  end(): void;
}

export interface ServerDeps {
  log: Logger;
  /** Hands a Bot Framework request to the adapter (which verifies its JWT). */
  processActivity: (req: HttpRequest, res: BotResponse) => Promise<void>;
  graph: GraphIntake;
  /** True once the database answers and the workers run. */
  ready: () => Promise<boolean>;
  tab?: TabMount;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
}

/** Teams activities stay under ~100 KB and Graph batches of basic notifications are small; 1 MB is generous. */
const DEFAULT_MAX_BODY = 1024 * 1024;

/** botbuilder's Response over node's: the status, headers and body the adapter gives, written once at `end`. */
export function botResponse(res: ServerResponse): BotResponse {
  let body: string | undefined;
  return {
    socket: res.socket,
    status: (code) => {
      res.statusCode = code;
    },
    header: (name, value) => {
      res.setHeader(name, String(value));
    },
    send: (value) => {
      if (value === undefined || value === null) return;
      if (typeof value === 'string' && !res.hasHeader('content-type'))
        res.setHeader('content-type', 'text/plain; charset=utf-8');
      if (typeof value !== 'string' && !res.hasHeader('content-type'))
        res.setHeader('content-type', 'application/json');
      body = typeof value === 'string' ? value : JSON.stringify(value);
    },
    end: () => {
      if (res.writableEnded) return;
      if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
      res.end(body);
    },
  };
}

/**
 * The one HTTP server (node:http and a small route table): it verifies, stores and acknowledges, and holds no
 * business logic. Every 4xx/5xx leaves a log line with the route and the reason.
 */
export function createServer(deps: ServerDeps): Server {
  const router = new Router();
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY;
  /** Reads and parses the body before `h` (413 over the limit, 400 for broken JSON). */
  const body =
    (h: Handler): Handler =>
    async (req, res) => {
      req.body = await readBody(req.raw, maxBodyBytes);
      await h(req, res);
    };

  // Probes and link checkers ask HEAD of the messaging endpoint: it exists and takes POST. Quiet: not a refusal.
  router.head('/api/messages', (_req, res) => {
    res.setHeader('allow', 'POST');
    sendStatus(res, 200);
  });

  router.post(
    '/api/messages',
    body(async (req, res) => {
      if (
        typeof req.body !== 'object' ||
        req.body === null ||
        typeof (req.body as { type?: unknown }).type !== 'string'
      ) {
        return sendError(
          res,
          new MailroomError('bad_request', 'The body must be a Bot Framework activity (JSON with a type).'),
        );
      }
      // From here the adapter writes the one line for each refusal (bad token, other tenant) or failed turn.
      markRefusalLogged(res);
      try {
        await deps.processActivity(req, botResponse(res));
      } catch (err) {
        // Anything the adapter did not answer itself: one line here, and a 500 without internals.
        deps.log.error({ err, path: req.path }, 'activity failed before the adapter answered');
        if (!res.headersSent) sendError(res, new MailroomError('internal', 'the activity failed', { cause: err }));
        markRefusalLogged(res);
      }
    }),
  );

  graphRoutes(router, body, deps.graph, deps.log);

  router.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    const ok = await deps.ready().catch(() => false);
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'starting' });
  });

  if (deps.tab) tabRoutes(router, body, deps.tab, deps.log);

  const refused = (req: { method?: string | undefined }, path: string, res: ServerResponse, err?: unknown) => {
    if (res.statusCode < 400) return;
    const refusal = refusalOf(res);
    if (refusal?.logged) return;
    const level = res.statusCode >= 500 ? 'error' : 'warn';
    deps.log[level](
      {
        method: req.method,
        path,
        status: res.statusCode,
        ...(refusal ? { code: refusal.code, reason: refusal.message } : {}),
        ...(err ? { err: err instanceof Error ? err.message : err } : {}),
      },
      'request refused',
    );
  };

  const server = createHttpServer((raw, res) => {
    let url: URL;
    try {
      url = new URL(raw.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, new MailroomError('bad_request', 'The request URL is not valid.'));
      refused(raw, raw.url ?? '', res);
      return;
    }
    const found = router.match(raw.method ?? 'GET', url.pathname);
    if ('refusal' in found) {
      if (found.allow) res.setHeader('allow', found.allow);
      sendError(res, found.refusal);
      refused(raw, url.pathname, res);
      raw.resume();
      return;
    }
    const req = requestOf(raw, url, found.params);
    Promise.resolve()
      .then(() => found.handler(req, res))
      .then(
        () => refused(raw, url.pathname, res),
        (err: unknown) => {
          // A coded refusal of a route step (a body over the limit, broken JSON): the catalogue's answer.
          if (err instanceof MailroomError) {
            if (!res.headersSent) sendError(res, err);
            raw.resume();
            refused(raw, url.pathname, res);
            return;
          }
          // A route that threw past its own handling: one line, and a 500 without internals.
          if (!res.headersSent) sendError(res, new MailroomError('internal', 'a route threw past its handling'));
          else res.destroy();
          refused(raw, url.pathname, res, err);
        },
      );
  });
  keepConnectionsOpen(server);
  return server;
}

/**
 * Keeps an idle keep-alive connection open for longer than its client will: with node's 5 s default, the server
 * could close a connection at the moment Graph (which reuses its connections) sent the next notification on it,
 * and that notification met a reset instead of a 202. Graph's webhook page names no idle timeout
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks), so the conservative reading: above
 * the 60 s that clients and proxies commonly keep an idle connection, so the client always closes first. The
 * header timeout stays above it, as node requires for a connection waiting for its next request.
 */
export const KEEP_ALIVE_MS = 65_000;
function keepConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

/**
 * How many new connections the kernel holds for the server before it accepts them (node's default is 511). Graph
 * opens new connections when a burst outruns the ones it has: at 2,000 notifications/s, 511 arrive in a quarter of a
 * second, and the event loop is held that long at times (a GC, a core busy elsewhere). Past the backlog the kernel
 * drops the new connection's handshake, and the client tries again only after 1 s, then 3 s: in the ack benchmark
 * at 2,000/s, 360 to 1,508 such drops (TcpExt ListenOverflows) per 10 s run, and answers 1 to 4 s late. Linux
 * truncates it to net.core.somaxconn (4,096 by default since 5.4). https://man7.org/linux/man-pages/man2/listen.2.html
 */
const LISTEN_BACKLOG = 4_096;

export async function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
