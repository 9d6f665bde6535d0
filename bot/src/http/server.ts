import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import restify, { type Request, type Response } from 'restify';
import { type GraphIntake, graphRoutes } from './graph-routes.js';
import { markRefusalLogged, refusalOf, sendError } from './respond.js';
import { type TabMount, tabRoutes } from './tab-routes.js';

export interface ServerDeps {
  log: Logger;
  /** Hands a Bot Framework request to the adapter (which verifies its JWT). */
  processActivity: (req: Request, res: Response) => Promise<void>;
  graph: GraphIntake;
  /** True once the database answers and the workers run. */
  ready: () => Promise<boolean>;
  tab?: TabMount;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
}

/** Teams activities stay under ~100 KB and Graph batches of basic notifications are small; 1 MB is generous. */
const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * The one HTTP server: it verifies, stores and acknowledges, and holds no business logic.
 * Every 4xx/5xx leaves a log line with the route and the reason.
 */
export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'mailroom', handleUncaughtExceptions: false });
  const maxBodySize = deps.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const body = restify.plugins.bodyParser({ maxBodySize, mapParams: false, mapFiles: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.on('after', (req: Request, res: Response, _route: unknown, err: unknown) => {
    if (res.statusCode >= 400) {
      const refusal = refusalOf(res);
      if (refusal?.logged) return;
      const level = res.statusCode >= 500 ? 'error' : 'warn';
      deps.log[level](
        {
          method: req.method,
          path: req.path(),
          status: res.statusCode,
          ...(refusal ? { code: refusal.code, reason: refusal.message } : {}),
          ...(err ? { err: err instanceof Error ? err.message : err } : {}),
        },
        'request refused',
      );
    }
  });
  server.on('restifyError', (_req: Request, _res: Response, err: { toJSON?: () => unknown }, cb: () => void) => {
    // Keep restify's status (400 bad JSON, 413 too large, 404, 405), but answer in Mailroom's error shape.
    const code = (err as { restCode?: string }).restCode ?? 'error';
    const message = (err as Error).message;
    err.toJSON = () => ({ error: { code, message } });
    cb();
  });

  // Probes and link checkers ask HEAD of the messaging endpoint: it exists and takes POST. Quiet: not a refusal.
  server.head('/api/messages', async (_req: Request, res: Response) => {
    res.setHeader('allow', 'POST');
    res.send(200);
  });

  server.post('/api/messages', body, async (req: Request, res: Response) => {
    if (
      typeof req.body !== 'object' ||
      req.body === null ||
      typeof (req.body as { type?: unknown }).type !== 'string'
    ) {
      return sendError(res, 400, 'bad_request', 'The body must be a Bot Framework activity (JSON with a type).');
    }
    // From here the adapter writes the one line for each refusal (bad token, other tenant) or failed turn.
    markRefusalLogged(res);
    try {
      await deps.processActivity(req, res);
    } catch (err) {
      // Anything the adapter did not answer itself: one line here, and a 500 without internals.
      deps.log.error({ err, path: req.path() }, 'activity failed before the adapter answered');
      if (!res.headersSent) sendError(res, 500, 'internal', 'Mailroom could not handle that activity.');
      markRefusalLogged(res);
    }
  });

  graphRoutes(server, body, deps.graph, deps.log);

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.json(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const ok = await deps.ready().catch(() => false);
    res.json(ok ? 200 : 503, { status: ok ? 'ready' : 'starting' });
  });

  if (deps.tab) tabRoutes(server, body, deps.tab, deps.log);
  return server;
}

export async function listen(server: restify.Server, port: number, host = '0.0.0.0'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return ((server.server as Server).address() as AddressInfo).port;
}
