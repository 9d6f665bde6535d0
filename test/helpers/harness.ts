import { composeMailroom, type Mailroom } from '../../bot/src/compose.js';
import { loadConfig } from '../../bot/src/config.js';
import { listen } from '../../bot/src/http/server.js';
import { createLogger } from '../../bot/src/log.js';
import type { SandboxMail } from '../../bot/src/sandbox/graph-emulator/index.js';
import { SANDBOX_PEOPLE } from '../../bot/src/sandbox/people.js';
import { type Sandbox, startSandbox } from '../../bot/src/sandbox/start-sandbox.js';
import { createTabIssuer } from '../../bot/src/sandbox/tab-issuer.js';
import { serveMailroom } from '../../bot/src/serve.js';
import type { Engine } from '../../bot/src/store/db.js';
import { activity, channelCommand, FIXTURE_IDS } from './bot-framework.js';
import { createTestDb, type TestDb } from './db.js';
import { type FakeConnector, startFakeConnector } from './fake-connector.js';
import { freePort } from './free-port.js';

export interface Harness {
  url: string;
  mailroom: Mailroom;
  sandbox: Sandbox;
  connector: FakeConnector;
  db: TestDb;
  /** POSTs an activity to /api/messages (its serviceUrl pointed at the fake connector) and returns the answer. */
  send(activityJson: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  /**
   * A listed admin (MAILROOM_ADMINS) among the sandbox people, as Teams names them in `from`: Adele unless `env`
   * lists others (the sandbox lists her when no admins are configured). Only a listed admin may watch a shared
   * mailbox.
   */
  admin: { id: string; name: string; aadObjectId: string };
  /** `@Mailroom /watch <address>` in the Support channel of the fixture team, typed by `admin`. */
  watch(address: string): Promise<{ status: number; body: unknown }>;
  /** An SSO token for the Dashboard API, from the local issuer the server trusts (as in the sandbox). */
  tabToken(user: { oid: string; name: string; upn: string }): Promise<string>;
  /** The same issuer's token for a user of tenant `tid` (signed by the trusted key: only the tenant is wrong). */
  tabTokenOf(tid: string, user: { oid: string; name: string; upn: string }): Promise<string>;
  /** Waits until every due job has run and Graph has delivered everything. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole of Mailroom in this process, over real HTTP on loopback: the server, the job worker, the Graph and
 * NetSuite emulators and a fake Bot Connector standing in for Teams.
 */
export async function startHarness(
  opts: {
    engine?: Engine;
    env?: Record<string, string>;
    netsuite?: boolean;
    invokeLimitMs?: number;
    /** Mailroom's log lines at info and above, parsed, instead of TEST_LOG_LEVEL's output. */
    logLines?: Array<Record<string, unknown>>;
  } = {},
): Promise<Harness> {
  const db = await createTestDb(opts.engine ?? 'sqlite');
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    DATABASE_URL: db.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The tenant the Teams fixtures name: Mailroom serves it alone, and the sandbox's Graph takes it as its own.
    BOT_TENANT_ID: FIXTURE_IDS.tenantId,
    ...opts.env,
  };
  const lines = opts.logLines;
  const log = lines
    ? createLogger('info', { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) })
    : createLogger(env.LOG_LEVEL ?? 'silent');
  const base = loadConfig(env);
  const sandbox = await startSandbox(base, log, { graph: 0, netsuite: 0 });
  let config = sandbox.config;
  // With no sandbox person listed (admins from a group only), `watch` is typed by Adele and may be refused.
  const listed = SANDBOX_PEOPLE.find((p) => config.admins.includes(p.oid)) ?? SANDBOX_PEOPLE[0];
  if (!listed) throw new Error('no sandbox people');
  const admin = { id: listed.mri, name: listed.displayName, aadObjectId: listed.oid };
  if (opts.netsuite === false) config = { ...config, netsuite: { ...config.netsuite, auth: { kind: 'none' } } };
  await db.close();
  const mailroom = await composeMailroom(config, log, {
    netsuiteUiBaseUrl: sandbox.netsuiteUiBaseUrl,
    worker: { pollMs: 50 },
    retry: { baseMs: 100, maxMs: 1000 },
  });
  const tabIssuer = await createTabIssuer({
    clientId: config.tab.clientId,
    baseUrl: `http://127.0.0.1:${port}`,
    tenantId: FIXTURE_IDS.tenantId,
  });
  const { server } = serveMailroom(mailroom, {
    tabIssuer,
    ...(opts.invokeLimitMs !== undefined ? { invokeLimitMs: opts.invokeLimitMs } : {}),
  });
  await listen(server, port, '127.0.0.1');
  mailroom.worker.start();
  const connector = await startFakeConnector();
  const url = `http://127.0.0.1:${port}`;

  const send: Harness['send'] = async (a) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...a, serviceUrl: connector.url }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  const settle: Harness['settle'] = async (timeoutMs = 15_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await sandbox.graph.idle();
      const now = mailroom.clock().toISOString();
      const due = await mailroom.db.kysely
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)])]),
        )
        .executeTakeFirstOrThrow();
      const later = await mailroom.db.kysely
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'queued')
        .where('run_at', '>', now)
        .where('run_at', '<', new Date(Date.now() + 3000).toISOString())
        .executeTakeFirstOrThrow();
      if (Number(due.n) === 0 && Number(later.n) === 0) return;
      if (Date.now() > until) throw new Error(`jobs did not settle: ${due.n} due, ${later.n} soon`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    url,
    mailroom,
    sandbox,
    connector,
    db,
    send,
    admin,
    watch: (address) => send(channelCommand(`/watch ${address}`, { from: admin })),
    tabToken: (user) => tabIssuer.issue({ ...user, tid: FIXTURE_IDS.tenantId }),
    tabTokenOf: (tid, user) => tabIssuer.issue({ ...user, tid }),
    settle,
    close: async () => {
      server.close();
      await mailroom.worker.stop();
      await connector.close();
      await sandbox.close();
      await mailroom.db.close();
      await db.drop().catch(() => undefined);
    },
  };
}

export { activity, channelCommand, FIXTURE_IDS };

/**
 * A harness watching support@contoso.com that has received one email from Ana Ruiz (unless `mail` says otherwise)
 * and has run its card; returns the stored email's id. The setup of the save tests, written once.
 */
export async function startHarnessWithMail(
  mail: Omit<SandboxMail, 'to' | 'from'> & { from?: string },
): Promise<{ h: Harness; emailId: string }> {
  const h = await startHarness();
  await h.watch('support@contoso.com');
  h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', fromName: 'Ana Ruiz', ...mail });
  await h.settle();
  const email = await h.mailroom.db.kysely
    .selectFrom('emails')
    .select('id')
    .where('subject', '=', mail.subject)
    .executeTakeFirstOrThrow();
  return { h, emailId: email.id };
}
