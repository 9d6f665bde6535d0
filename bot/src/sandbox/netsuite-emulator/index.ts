import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { netsuiteSeed, type SeedRecord } from '../netsuite-seed.js';
import { stateFile } from '../state-file.js';
import { EmulatorAuth, type EmulatorAuthConfig } from './auth.js';
import { INVALID_LOGIN, sendError } from './errors.js';
import { handleRestlet, RESTLET_PATH } from './restlet-route.js';
import { handleGet, handleSuiteQL, READ_TYPES, type RouteContext } from './routes.js';
import { RecordStore, type SavedRecords, type StoredRecord } from './store.js';
import { ensureSuiteAppBuilt } from './suitescript/build.js';
import { loadRestlet } from './suitescript/restlet.js';
import { suiteAppSeed } from './suitescript/seed.js';
import { renderRecordPage } from './ui.js';

export { sandboxNetSuiteCredentials } from './credentials.js';

export interface NetSuiteEmulatorOptions extends EmulatorAuthConfig {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Requests in flight before NetSuite answers 429 (the account's concurrency limit). */
  concurrencyLimit?: number;
  /** Answer an over-the-limit request with this status: 429, or NetSuite's misleading 401. */
  overLimitStatus?: 429 | 401;
  latencyMs?: number;
  seed?: SeedRecord[];
  /** Where the account's records are kept across restarts (JSON). Without it, all is in memory. */
  stateFile?: string;
  /** Whether the Mailroom SuiteApp is deployed in this account (default true): its RESTlet and folder. */
  suiteApp?: boolean;
  /**
   * Serve `POST /_sandbox/fail-next-save` to loopback callers (the sandbox of `npm start` only): NetSuite is not
   * told this way, it is how `npm run sandbox:netsuite -- --fail-next` reaches the running emulator.
   */
  sandboxAdmin?: boolean;
}

export interface EmulatorCounters {
  requests: number;
  tokenRequests: number;
  rejected429: number;
  rejected401: number;
  inFlight: number;
  maxInFlight: number;
}

export interface NetSuiteEmulator {
  url: string;
  state: { store: RecordStore; messages(): StoredRecord[]; files(): StoredRecord[]; counters: EmulatorCounters };
  /** How many records the state file gave back at start (null without one), or why it gave none. */
  restored: number | null;
  stateProblem: string | null;
  setLatency(ms: number): void;
  /** Every REST call answers `status` (with NetSuite's error body) for the next `ms`. */
  failFor(ms: number, status: number): void;
  /** The next `count` REST calls answer `status`; `retryAfter` sets the Retry-After header. */
  failNext(count: number, status: number, opts?: { retryAfter?: number }): void;
  /** The next save (a POST to the SuiteApp's RESTlet) fails once, as a RESTlet's uncaught error does: 400. */
  failNextSave(): void;
  close(): Promise<void>;
}

const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

/**
 * A NetSuite account on loopback: REST record reads, SuiteQL, the Mailroom SuiteApp's RESTlet (its compiled file,
 * run on in-memory SuiteScript modules over the same records), and both auth schemes.
 */
export async function startNetSuiteEmulator(opts: NetSuiteEmulatorOptions): Promise<NetSuiteEmulator> {
  const suiteApp = opts.suiteApp ?? true;
  const store = new RecordStore([...(opts.seed ?? netsuiteSeed()), ...(suiteApp ? suiteAppSeed() : [])]);
  const file = opts.stateFile ? stateFile<SavedRecords>(opts.stateFile, 1, () => store.snapshot()) : null;
  const saved = file?.load();
  const restored = saved ? store.restore(saved) : null;
  if (suiteApp) await ensureSuiteAppBuilt();
  const restlet = suiteApp ? loadRestlet(store) : null;
  const auth = new EmulatorAuth(opts);
  const counters: EmulatorCounters = {
    requests: 0,
    tokenRequests: 0,
    rejected429: 0,
    rejected401: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
  let latency = opts.latencyMs ?? 0;
  let failUntil = 0;
  let failStatus = 503;
  let failCount = 0;
  let failRetryAfter: number | undefined;
  let failSaves = 0;
  let baseUrl = '';

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const isRestlet = url.pathname === RESTLET_PATH;
    if (opts.sandboxAdmin && url.pathname === '/_sandbox/fail-next-save') return failNextSaveRoute(req, res);
    if (url.pathname.startsWith('/app/') && !isRestlet) return renderRecordPage(store, url, res);
    if (req.method === 'POST' && url.pathname === TOKEN_PATH) {
      counters.tokenRequests++;
      const out = await auth.issueToken(new URLSearchParams(body), `${baseUrl}${TOKEN_PATH}`);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(out.body));
    }
    counters.requests++;
    const why = auth.check(req, url, isRestlet ? 'restlets' : 'rest_webservices');
    if (why) {
      counters.rejected401++;
      res.setHeader('x-emulator-auth-failure', why);
      return sendError(res, 401, 'INVALID_LOGIN', INVALID_LOGIN);
    }
    if (failCount > 0 || Date.now() < failUntil) {
      const status = failStatus;
      if (failCount > 0) failCount--;
      if (status === 429) counters.rejected429++;
      if (status === 401) counters.rejected401++;
      const headers: Record<string, string> =
        failRetryAfter === undefined ? {} : { 'retry-after': String(failRetryAfter) };
      const code =
        status === 429 ? 'CONCURRENCY_LIMIT_EXCEEDED' : status === 401 ? 'INVALID_LOGIN' : 'UNEXPECTED_ERROR';
      const detail = status === 401 ? INVALID_LOGIN : `Simulated failure (${status}).`;
      return sendError(res, status, code, detail, headers);
    }
    const limit = opts.concurrencyLimit ?? Number.POSITIVE_INFINITY;
    if (counters.inFlight >= limit) {
      if (opts.overLimitStatus === 401) {
        counters.rejected401++;
        return sendError(res, 401, 'INVALID_LOGIN', INVALID_LOGIN);
      }
      counters.rejected429++;
      return sendError(res, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.');
    }
    counters.inFlight++;
    counters.maxInFlight = Math.max(counters.maxInFlight, counters.inFlight);
    try {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      if (isRestlet && req.method === 'POST' && failSaves > 0) {
        failSaves--;
        sendRestletFailure(res);
      } else if (isRestlet) handleRestlet(restlet, { req, res, url, body });
      else route({ store, baseUrl, req, res, url, body });
    } finally {
      counters.inFlight--;
      if (req.method !== 'GET') file?.changed();
    }
  };

  const failNextSaveRoute = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !isLoopback(req.socket.remoteAddress)) {
      return sendError(res, 404, 'INVALID_URL', `No route for ${req.method ?? ''} /_sandbox/fail-next-save.`);
    }
    failSaves = 1;
    res.writeHead(204);
    res.end();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'UNEXPECTED_ERROR', err instanceof Error ? err.message : String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`;

  return {
    url: baseUrl,
    state: {
      store,
      messages: () => store.all('message'),
      files: () => store.all('file'),
      counters,
    },
    restored,
    stateProblem: file?.problem ?? null,
    setLatency: (ms) => {
      latency = ms;
    },
    failFor: (ms, status) => {
      failUntil = Date.now() + ms;
      failStatus = status;
      failRetryAfter = undefined;
    },
    failNext: (count, status, o = {}) => {
      failCount = count;
      failStatus = status;
      failRetryAfter = o.retryAfter;
    },
    failNextSave: () => {
      failSaves = 1;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        file?.flush();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * A save the sandbox was told to fail: the RESTlet error body a script's uncaught error gives (400, its code and
 * message; SuiteScript 2.x RESTlet Error Handling), which Mailroom reads as NetSuite refusing the data.
 */
function sendRestletFailure(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: {
        code: 'SANDBOX_SIMULATED_FAILURE',
        message: 'The sandbox was told to refuse this save (npm run sandbox:netsuite -- --fail-next)',
      },
    }),
  );
}

/** Only the calls docs/wire.md lists: SuiteQL and reads of the record types Mailroom unfurls. */
function route(ctx: RouteContext) {
  const { req, url, res } = ctx;
  const p = url.pathname;
  if (req.method === 'POST' && p === '/services/rest/query/v1/suiteql') return handleSuiteQL(ctx);
  const rec = /^\/services\/rest\/record\/v1\/([A-Za-z]+)\/([^/]+)$/.exec(p);
  if (rec?.[1] && rec[2] && req.method === 'GET' && READ_TYPES.includes(rec[1])) {
    return handleGet(ctx, rec[1], decodeURIComponent(rec[2]));
  }
  sendError(res, 404, 'INVALID_URL', `No route for ${req.method ?? ''} ${p}.`);
}
