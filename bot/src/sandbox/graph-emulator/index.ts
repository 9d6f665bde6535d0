import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GRAPH_APP_PERMISSIONS } from '../../mail/graph-permissions.js';
import type { GraphSeed } from '../graph-seed.js';
import { stateFile } from '../state-file.js';
import type { EmuContext, Faults, Route } from './context.js';
import { graphError, match, type Req, readReq } from './http.js';
import { Notifier, type NotifierOptions } from './notifier.js';
import { GRAPH_STATE_VERSION, restoreGraph, type SavedGraphState, snapshotGraph } from './persist.js';
import { tokenRoute } from './routes-auth.js';
import { handleBatch } from './routes-batch.js';
import { deltaRoute } from './routes-delta.js';
import { foldersRoute } from './routes-folders.js';
import { memberOfRoute } from './routes-groups.js';
import { messagesRoute } from './routes-messages.js';
import { type DeliveredCopy, deliver, sandboxRoute } from './routes-sandbox.js';
import { subscriptionsRoute } from './routes-subscriptions.js';
import { teamMembersRoute } from './routes-teams.js';
import { categoriesRoute, usersRoute } from './routes-users.js';
import { createState, findUser } from './store.js';
import type { EmulatorState, EmuSubscription, SandboxMail } from './types.js';

export interface GraphEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  seed: GraphSeed;
  /**
   * The application permissions granted to the app (its tokens' `roles`). Default: exactly what docs/admin.md
   * grants (GRAPH_APP_PERMISSIONS), so a call that needs more is refused here as Graph would refuse it.
   */
  permissions?: readonly string[];
  /** The longest subscription Graph grants for messages (live Graph: 10,070; older docs: 4,230). */
  maxSubscriptionMinutes?: number;
  notificationRetry?: Partial<NotifierOptions>;
  clock?: () => Date;
  /** Where mail, folders and subscriptions are kept across restarts (JSON). Without it, all is in memory. */
  stateFile?: string;
}

export interface GraphEmulator {
  url: string;
  graphBaseUrl: string;
  authorityHost: string;
  state: EmulatorState;
  /** What the state file gave back at start, or why it gave nothing (null fields without a state file). */
  restored: { messages: number; subscriptions: number } | null;
  stateProblem: string | null;
  deliver(mail: SandboxMail): DeliveredCopy[];
  faults: {
    /** The next `count` Graph calls answer `status` with Retry-After. */
    throttle(count: number, status?: 429 | 503, retryAfterSeconds?: number): void;
    /** The mailbox answers 403, as when no RBAC assignment or access policy covers the app. */
    denyAccess(mailbox: string): void;
    /** Every stored deltaLink becomes invalid (410 SyncStateNotFound). */
    resetDelta(): void;
    /** Folder delta lists only top-level folders (the reading of mailfolder-delta the page leaves open). */
    shallowFolderDelta(on: boolean): void;
    /**
     * The next request of `method` whose path matches `path` waits, unanswered, until `release` is called; `reached`
     * resolves when it arrives. A test makes a race happen in one order with it (another command commits while
     * this request is on its way), without timing.
     */
    hold(method: string, path: RegExp): { reached: Promise<void>; release(): void };
  };
  /** Changes the app's granted permissions; like Entra, only tokens issued afterwards carry the change. */
  grantPermissions(permissions: readonly string[]): void;
  /** Notifications are dropped (as status "dropped") until resumed: only delta finds that mail. */
  stopNotifications(): void;
  resumeNotifications(): void;
  sendLifecycle(subscriptionId: string, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): void;
  /** Removes a subscription as Graph does, with a subscriptionRemoved lifecycle notification. */
  removeSubscription(subscriptionId: string): void;
  /** Resolves when no notification is in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  memberOfRoute,
  usersRoute,
  categoriesRoute,
  messagesRoute,
  deltaRoute,
  foldersRoute,
  subscriptionsRoute,
  teamMembersRoute,
];

function logRequest(state: EmulatorState, req: Req, status: number): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = k === 'authorization' ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  state.requests.push({ method: req.method, path: req.path, query: req.query.toString(), headers, status });
}

async function handleGraph(req: Req, res: ServerResponse, ctx: EmuContext): Promise<void> {
  const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const token = auth ? ctx.state.tokens.get(auth) : undefined;
  if (!auth) return graphError(res, req, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  if (token === undefined || token.expiresAt <= ctx.now().getTime()) {
    return graphError(res, req, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  }
  req.roles = new Set(token.roles);
  // Throttling counts each request in a batch, not the batch: https://learn.microsoft.com/graph/throttling#throttling-and-batching
  if (req.method === 'POST' && match('/v1.0/$batch', req.path)) {
    const log = (one: Req, status: number) => logRequest(ctx.state, one, status);
    return handleBatch(req, res, (one, r) => handleGraph(one, r, ctx), log);
  }
  const held = ctx.faults.holds.findIndex((h) => h.method === req.method && h.path.test(req.path));
  if (held >= 0) {
    const [hold] = ctx.faults.holds.splice(held, 1);
    hold?.reached();
    await hold?.released;
  }
  const t = ctx.faults.throttle;
  if (t.remaining > 0) {
    t.remaining -= 1;
    const code = t.status === 429 ? 'TooManyRequests' : 'ServiceNotAvailable';
    return graphError(res, req, t.status, code, 'Please retry again later.', {
      'Retry-After': String(t.retryAfterSeconds),
    });
  }
  for (const route of ROUTES) if (await route(req, res, ctx)) return;
  graphError(res, req, 400, 'BadRequest', `Resource not found for the segment '${req.path.split('/').pop()}'.`);
}

/** Starts a Graph + Entra ID emulator on loopback that speaks the real wire shapes. */
export async function startGraphEmulator(opts: GraphEmulatorOptions): Promise<GraphEmulator> {
  const state = createState(opts.seed);
  const file = opts.stateFile
    ? stateFile<SavedGraphState>(opts.stateFile, GRAPH_STATE_VERSION, () => snapshotGraph(state))
    : null;
  const saved = file?.load();
  const restored = saved ? restoreGraph(state, saved) : null;
  const changed = () => file?.changed();
  const now = opts.clock ?? (() => new Date());
  const notifier = new Notifier(state, { attempts: 6, baseDelayMs: 500, ...opts.notificationRetry }, now);
  const faults: Faults = {
    throttle: { remaining: 0, status: 429, retryAfterSeconds: 1 },
    denied: new Set(),
    shallowFolderDelta: false,
    holds: [],
  };
  let url = '';
  const ctx: EmuContext = {
    state,
    notifier,
    faults,
    now,
    url: () => url,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    permissions: [...(opts.permissions ?? GRAPH_APP_PERMISSIONS)],
    maxSubscriptionMinutes: opts.maxSubscriptionMinutes ?? 10_070,
  };
  const server = createServer((raw: IncomingMessage, res: ServerResponse) => {
    readReq(raw)
      .then(async (req) => {
        if (req.path.startsWith('/v1.0/')) {
          await handleGraph(req, res, ctx);
          logRequest(state, req, res.statusCode);
        } else if (!(await tokenRoute(req, res, ctx)) && !(await sandboxRoute(req, res, ctx))) {
          graphError(res, req, 404, 'NotFound', `No route for ${req.method} ${req.path}`);
        }
        if (req.method !== 'GET') changed();
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const sub = (id: string): EmuSubscription => {
    const s = state.subscriptions.get(id);
    if (!s) throw new Error(`No subscription ${id}`);
    return s;
  };

  return {
    url,
    graphBaseUrl: `${url}/v1.0`,
    authorityHost: url,
    state,
    restored,
    stateProblem: file?.problem ?? null,
    deliver: (mail) => {
      const copies = deliver(ctx, mail);
      changed();
      return copies;
    },
    faults: {
      throttle(count, status = 429, retryAfterSeconds = 1) {
        faults.throttle = { remaining: count, status, retryAfterSeconds };
      },
      denyAccess(mailbox) {
        const u = findUser(state, mailbox);
        if (!u) throw new Error(`No sandbox mailbox ${mailbox}`);
        faults.denied.add(u.id);
      },
      resetDelta() {
        state.deltaEpoch += 1;
      },
      shallowFolderDelta(on) {
        faults.shallowFolderDelta = on;
      },
      hold(method, path) {
        let reached = () => {};
        let release = () => {};
        const arrived = new Promise<void>((r) => {
          reached = r;
        });
        const released = new Promise<void>((r) => {
          release = r;
        });
        faults.holds.push({ method, path, reached, released });
        return { reached: arrived, release };
      },
    },
    grantPermissions(permissions) {
      ctx.permissions = [...permissions];
    },
    stopNotifications: () => {
      notifier.stopped = true;
    },
    resumeNotifications: () => {
      notifier.stopped = false;
    },
    sendLifecycle: (id, event) => notifier.lifecycle(sub(id), event),
    removeSubscription(id) {
      const s = sub(id);
      state.subscriptions.delete(id);
      changed();
      notifier.lifecycle(s, 'subscriptionRemoved');
    },
    idle: () => notifier.idle(),
    async close() {
      file?.flush();
      notifier.close();
      await notifier.idle();
      const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}

export type { DeliveredCopy } from './routes-sandbox.js';
export type { EmulatorState, SandboxMail } from './types.js';
