/**
 * The services process of a benchmark rig: the Graph and NetSuite emulators and the Bot Connector stand-in, on
 * loopback, apart from Mailroom's process (so Mailroom's own CPU and memory can be read) and from the load
 * generator's. Started by services.ts with an IPC channel; answers the requests of services-protocol.ts.
 */
import { loadConfig } from '../../bot/src/config.js';
import { createLogger } from '../../bot/src/log.js';
import type { DeliveredCopy } from '../../bot/src/sandbox/graph-emulator/index.js';
import { startSandbox } from '../../bot/src/sandbox/start-sandbox.js';
import { type AcceptedPost, startLimitedConnector } from './limited-connector.js';
import { mailroomEnv } from './mailroom-env.js';
import type { Answer, CardArrival, MailSpec, Request, ServicesOptions, ServicesReady } from './services-protocol.js';
import { TOKEN } from './services-protocol.js';

const MAILBOX = 'support@contoso.com';
const opts = JSON.parse(process.env.BENCH_SERVICES ?? '{}') as ServicesOptions;

const base = loadConfig({ PORT: String(opts.mailroomPort), SANDBOX: 'true', LOG_LEVEL: 'silent' });
const sandbox = await startSandbox(base, createLogger('silent'), {
  graph: opts.graphPort,
  netsuite: opts.netsuitePort,
});
sandbox.netsuite.setLatency(opts.netsuiteLatencyMs);
// Mail is stored quietly: the benchmark sends the notifications itself, on its own schedule.
sandbox.graph.stopNotifications();
const connector = await startLimitedConnector({
  port: opts.connectorPort,
  ...(opts.teamsWindows ? { windows: opts.teamsWindows } : {}),
});

/** The first thread or reply that carried each token, and the first update of each activity. */
const posted = new Map<string, AcceptedPost>();
const firstUpdate = new Map<string, number>();
let indexed = 0;
function index(): void {
  for (; indexed < connector.posts.length; indexed++) {
    const p = connector.posts[indexed];
    if (!p) continue;
    if (p.op === 'update') {
      if (!firstUpdate.has(p.activityId)) firstUpdate.set(p.activityId, p.at);
      continue;
    }
    for (const t of p.text.match(TOKEN) ?? []) if (!posted.has(t)) posted.set(t, p);
    // The text is only needed to find the tokens; keeping it would grow this process by every card.
    p.text = '';
  }
}

const copies = new Map<string, DeliveredCopy>();
function deliver(mails: MailSpec[]): string[] {
  const sub = [...sandbox.graph.state.subscriptions.values()].find((s) =>
    s.resource.toLowerCase().endsWith('/messages'),
  );
  if (!sub?.clientState) throw new Error('no Graph subscription on the mailbox: /watch has not run');
  return mails.map((m) => {
    const root = m.replyTo ? copies.get(m.replyTo) : undefined;
    const copy = sandbox.graph
      .deliver({
        to: [MAILBOX],
        from: m.from,
        subject: m.subject,
        ...(root ? { inReplyTo: root.internetMessageId } : {}),
      })
      .find((c) => c.mailbox === MAILBOX);
    if (!copy) throw new Error(`the mail did not reach ${MAILBOX}`);
    const own = m.subject.match(TOKEN)?.[0];
    if (own) copies.set(own, copy);
    const resource = `Users/${copy.userId}/Messages/${copy.id}`;
    // The body Graph POSTs for one created message: one notification per request, the worst case.
    return JSON.stringify({
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          clientState: sub.clientState,
          changeType: 'created',
          resource,
          tenantId: sandbox.tenantId,
          resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': resource, id: copy.id },
        },
      ],
    });
  });
}

async function cards(tokens: string[], waitForUpdate: boolean, timeoutMs: number): Promise<CardArrival[]> {
  const until = Date.now() + timeoutMs;
  const complete = (t: string) => {
    const p = posted.get(t);
    return p !== undefined && (!waitForUpdate || firstUpdate.has(p.activityId));
  };
  for (;;) {
    index();
    if (tokens.every(complete) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return tokens.map((t) => {
    const p = posted.get(t);
    const updatedAt = p ? firstUpdate.get(p.activityId) : undefined;
    return { token: t, ...(p ? { postedAt: p.at } : {}), ...(updatedAt !== undefined ? { updatedAt } : {}) };
  });
}

async function handle(req: Request): Promise<Answer> {
  switch (req.op) {
    case 'deliver':
      return { op: 'deliver', bodies: deliver(req.mails) };
    case 'cards':
      return { op: 'cards', cards: await cards(req.tokens, req.waitForUpdate, req.timeoutMs) };
    case 'posts':
      index();
      return {
        op: 'posts',
        posts: connector.posts.map((p) => ({ op: p.op, key: p.key, activityId: p.activityId, at: p.at })),
        throttled: connector.throttled,
      };
    case 'netsuiteLatency':
      sandbox.netsuite.setLatency(req.ms);
      return { op: 'ok' };
    case 'close':
      await connector.close();
      await sandbox.close();
      setImmediate(() => process.exit(0));
      return { op: 'ok' };
  }
}

// Each request carries an id, and its answer the same, so requests may overlap (a wait for cards, a poll of posts).
process.on('message', (req: Request & { id: number }) => {
  handle(req).then(
    (a) => process.send?.({ ...a, id: req.id }),
    (err: unknown) => process.send?.({ op: 'error', message: String(err), id: req.id }),
  );
});
process.send?.({
  env: mailroomEnv(sandbox.config),
  connectorUrl: connector.url,
  graphUrl: sandbox.graph.url,
  netsuiteUrl: sandbox.netsuite.url,
} satisfies ServicesReady);
