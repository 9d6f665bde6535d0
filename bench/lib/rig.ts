import { mkdtempSync, rmSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMailroom, type Mailroom, type Overrides } from '../../bot/src/compose.js';
import { loadConfig } from '../../bot/src/config.js';
import { listen } from '../../bot/src/http/server.js';
import type { Window } from '../../bot/src/jobs/pacer.js';
import { createLogger } from '../../bot/src/log.js';
import type { DeliveredCopy, SandboxMail } from '../../bot/src/sandbox/graph-emulator/index.js';
import { type Sandbox, startSandbox } from '../../bot/src/sandbox/start-sandbox.js';
import { serveMailroom } from '../../bot/src/serve.js';
import { channelCommand } from '../../test/helpers/bot-framework.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { freePort } from '../../test/helpers/free-port.js';
import { type LimitedConnector, startLimitedConnector } from './limited-connector.js';

export const MAILBOX = 'support@contoso.com';

export interface Rig {
  url: string;
  mailroom: Mailroom;
  sandbox: Sandbox;
  connector: LimitedConnector;
  /** The watched mailbox's subscription, for hand-made notifications. */
  subscription: { id: string; clientState: string; expirationDateTime: string };
  /** Stores mail in the Graph emulator without the emulator notifying: the benchmark sends the notifications. */
  deliverQuietly(mail: SandboxMail): DeliveredCopy;
  /** The body Graph POSTs for one created message (one notification per request, the worst case). */
  notificationBody(copy: DeliveredCopy): string;
  close(): Promise<void>;
}

export interface RigOptions {
  /** Teams' limits on the fake connector; [] for none. */
  teamsWindows?: Window[];
  netsuiteLatencyMs?: number;
  worker?: Overrides['worker'];
  /** A PostgreSQL server URL: the rig then runs on its own schema there instead of a SQLite file. */
  postgresUrl?: string;
}

/**
 * All of Mailroom in this process, as test/helpers/harness.ts builds it, but with what production runs: a
 * file-backed SQLite database (WAL) and the worker's default settings. Graph and NetSuite are the loopback
 * emulators; Teams is a Bot Connector stand-in that enforces the per-thread limits. `/watch support@contoso.com`
 * has run in the fixture team's Support channel.
 */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-'));
  const port = await freePort();
  let pg: TestDb | undefined;
  if (opts.postgresUrl) {
    process.env.TEST_DATABASE_URL = opts.postgresUrl;
    // Its own pool stays open (idle) until drop() closes it and the schema.
    pg = await createTestDb('postgres');
  }
  const databaseUrl = pg?.url ?? `sqlite:${join(dir, 'mailroom.db')}`;
  const env = { PORT: String(port), DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
  const log = createLogger('silent');
  const sandbox = await startSandbox(loadConfig(env), log, { graph: 0, netsuite: 0 });
  sandbox.netsuite.setLatency(opts.netsuiteLatencyMs ?? 0);
  const mailroom = await composeMailroom(sandbox.config, log, {
    netsuiteUiBaseUrl: sandbox.netsuiteUiBaseUrl,
    ...(opts.worker ? { worker: opts.worker } : {}),
  });
  const { server } = serveMailroom(mailroom);
  await listen(server, port, '127.0.0.1');
  mailroom.worker.start();
  const connector = await startLimitedConnector(opts.teamsWindows ? { windows: opts.teamsWindows } : {});
  const url = `http://127.0.0.1:${port}`;

  const watch = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...channelCommand(`/watch ${MAILBOX}`), serviceUrl: connector.url }),
  });
  if (watch.status !== 200) throw new Error(`/watch answered ${watch.status}: ${await watch.text()}`);
  const sub = [...sandbox.graph.state.subscriptions.values()].find((s) =>
    s.resource.toLowerCase().endsWith('/messages'),
  );
  if (!sub?.clientState) throw new Error('the /watch made no Graph subscription');
  const subscription = { id: sub.id, clientState: sub.clientState, expirationDateTime: sub.expirationDateTime };
  sandbox.graph.stopNotifications();

  return {
    url,
    mailroom,
    sandbox,
    connector,
    subscription,
    deliverQuietly(mail) {
      const copy = sandbox.graph.deliver(mail).find((c) => c.mailbox === MAILBOX);
      if (!copy) throw new Error(`the mail did not reach ${MAILBOX}`);
      return copy;
    },
    notificationBody(copy) {
      const resource = `Users/${copy.userId}/Messages/${copy.id}`;
      return JSON.stringify({
        value: [
          {
            subscriptionId: subscription.id,
            subscriptionExpirationDateTime: subscription.expirationDateTime,
            clientState: subscription.clientState,
            changeType: 'created',
            resource,
            tenantId: sandbox.tenantId,
            resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': resource, id: copy.id },
          },
        ],
      });
    },
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      // restify keeps keep-alive sockets open; the load generator leaves many.
      (server as unknown as { server: HttpServer }).server.closeAllConnections();
      await closed;
      await mailroom.worker.stop();
      await connector.close();
      await sandbox.close();
      await mailroom.db.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs one notification body and resolves with the status once the answer is in. */
export async function postNotification(rig: Rig, body: string): Promise<number> {
  const res = await fetch(`${rig.url}/api/graph/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
