import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Window } from '../../bot/src/jobs/pacer.js';
import { type Db, openDatabase } from '../../bot/src/store/db.js';
import { channelCommand } from '../../test/helpers/bot-framework.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { freePort } from '../../test/helpers/free-port.js';
import { type MailroomProcess, startMailroom } from './mailroom-process.js';
import { type Services, startServices } from './services.js';

export const MAILBOX = 'support@contoso.com';
/** The Entra object id of the person in the fixture channel mention, who runs /watch. */
const WATCHER = String((channelCommand('/watch').from as { aadObjectId?: string } | undefined)?.aadObjectId ?? '');
const NO_PACING = fileURLToPath(new URL('./preload-no-pacing.ts', import.meta.url));

export interface Rig {
  url: string;
  engine: 'SQLite' | 'PostgreSQL';
  mailroom: MailroomProcess;
  services: Services;
  /** The benchmark's own connection to Mailroom's database, to count jobs. */
  db: Db;
  /** Mailroom's log file and the run's scratch directory. */
  logFile: string;
  dir: string;
  close(): Promise<void>;
}

export interface RigOptions {
  /** Teams' limits on the connector stand-in; [] for none. */
  teamsWindows?: Window[];
  netsuiteLatencyMs?: number;
  /** A PostgreSQL server URL: Mailroom then runs on its own schema there instead of a SQLite file. */
  postgresUrl?: string;
  /** Turn Mailroom's Teams pacing off (a bench-only preload), to measure its own capacity. */
  pacingOff?: boolean;
  /** Write a CPU profile of Mailroom's process (--cpu-prof). */
  cpuProf?: { dir: string; intervalUs?: number };
  /** More bench-only modules to load into Mailroom's process before its main module (tracing), and their settings. */
  preload?: string[];
  env?: Record<string, string>;
}

/** BENCH_PORT_BASE=4400 puts Mailroom and the services on 4400-4403; otherwise free ports are picked. */
async function ports() {
  const base = Number(process.env.BENCH_PORT_BASE ?? 0);
  if (base > 0) return { mailroomPort: base, graphPort: base + 1, netsuitePort: base + 2, connectorPort: base + 3 };
  return { mailroomPort: await freePort(), graphPort: 0, netsuitePort: 0, connectorPort: 0 };
}

/**
 * Three processes, as in production: Mailroom alone in its own (dist/bot/main.js, production settings, a
 * file-backed SQLite database in WAL mode or PostgreSQL), the services it calls in another (Graph and NetSuite
 * emulators, a Bot Connector stand-in that enforces Teams' per-thread limits), and this one, the load generator.
 * `/watch support@contoso.com` has run in the fixture team's Support channel.
 */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-'));
  const p = await ports();
  let pg: TestDb | undefined;
  if (opts.postgresUrl) {
    process.env.TEST_DATABASE_URL = opts.postgresUrl;
    pg = await createTestDb('postgres');
    // Mailroom opens its own pool; this one is only for counting.
  }
  const databaseUrl = pg?.url ?? `sqlite:${join(dir, 'mailroom.db')}`;
  const services = await startServices({
    ...p,
    netsuiteLatencyMs: opts.netsuiteLatencyMs ?? 0,
    ...(opts.teamsWindows ? { teamsWindows: opts.teamsWindows } : {}),
  });
  const logFile = join(dir, 'mailroom.log');
  let mailroom: MailroomProcess;
  try {
    mailroom = await startMailroom({
      port: p.mailroomPort,
      // The person who types /watch below is a listed Mailroom admin: watching a shared mailbox needs one.
      env: { ...services.env, MAILROOM_ADMINS: WATCHER, ...opts.env, DATABASE_URL: databaseUrl },
      logFile,
      preload: [...(opts.pacingOff ? [NO_PACING] : []), ...(opts.preload ?? [])],
      ...(opts.cpuProf ? { cpuProf: opts.cpuProf } : {}),
    });
  } catch (err) {
    await services.close();
    await pg?.drop();
    throw err;
  }
  const db = pg ?? openDatabase(databaseUrl);
  const watch = await fetch(`${mailroom.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      // Mailroom serves the Graph tenant alone: the /watch comes from that tenant.
      ...channelCommand(`/watch ${MAILBOX}`, {
        conversation: { tenantId: services.env.GRAPH_TENANT_ID },
        channelData: { tenant: { id: services.env.GRAPH_TENANT_ID } },
      }),
      serviceUrl: services.connectorUrl,
    }),
  });
  if (watch.status !== 200) throw new Error(`/watch answered ${watch.status}: ${await watch.text()}`);
  return {
    url: mailroom.url,
    engine: pg ? 'PostgreSQL' : 'SQLite',
    mailroom,
    services,
    db,
    logFile,
    dir,
    async close() {
      await mailroom.stop();
      await services.close();
      if (pg) await pg.drop();
      else await db.close();
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs one notification body and resolves with the status once the answer is in. */
export async function postNotification(rig: Pick<Rig, 'url'>, body: string): Promise<number> {
  const res = await fetch(`${rig.url}/api/graph/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
