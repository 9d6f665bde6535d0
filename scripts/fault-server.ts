/**
 * Runs one Mailroom replica as its own process, for the crash and replica fault tests (test/faults) and for
 * trying them by hand: `npx tsx scripts/fault-server.ts`.
 *
 * Config comes from the environment as for `npm start` (DATABASE_URL, PORT, PUBLIC_URL, GRAPH_BASE_URL,
 * AUTHORITY_HOST, GRAPH_*, NETSUITE_*, LICENSE_*), or whole from MAILROOM_CONFIG_JSON (a serialised Config, as
 * the tests pass it: the emulators live in the test process, so they survive a kill -9 of this one).
 * FAULT_LEASE_MS shortens job leases so a killed replica's jobs are picked up again within the test, and
 * FAULT_SAVING_STALE_MS the age at which a save left "saving" by a dead process is taken over (keep it above
 * the slowest NetSuite save, or two attempts overlap). FAULT_TRACE=1 prints how long each startup step took.
 * Prints `READY <port>` once it serves and works.
 */

import { composeMailroom } from '../bot/src/compose.js';
import type { Config } from '../bot/src/config.js';
import { loadConfig } from '../bot/src/config.js';
import { listen } from '../bot/src/http/server.js';
import { createLogger } from '../bot/src/log.js';
import { enqueueStartupCatchups, startUpkeep } from '../bot/src/mail/upkeep.js';
import { serveMailroom } from '../bot/src/serve.js';

const started = Date.now();
function trace(step: string): void {
  if (process.env.FAULT_TRACE === '1') process.stderr.write(`fault-server ${step} +${Date.now() - started}ms\n`);
}

async function run(): Promise<void> {
  trace('modules loaded');
  const fromEnv = loadConfig({
    ...process.env,
    SANDBOX: 'false',
    PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://127.0.0.1',
  });
  const json = process.env.MAILROOM_CONFIG_JSON;
  const config: Config = json ? { ...fromEnv, ...(JSON.parse(json) as Config) } : fromEnv;
  const log = createLogger(config.logLevel);
  const mailroom = await composeMailroom(config, log, {
    worker: {
      pollMs: 50,
      leaseMs: Number(process.env.FAULT_LEASE_MS ?? 60_000),
    },
    retry: { baseMs: 100, maxMs: 1_000 },
    ...(process.env.FAULT_SAVING_STALE_MS ? { savingStaleMs: Number(process.env.FAULT_SAVING_STALE_MS) } : {}),
    ...(process.env.NETSUITE_UI_BASE_URL ? { netsuiteUiBaseUrl: process.env.NETSUITE_UI_BASE_URL } : {}),
  });
  trace('composed and migrated');
  const { server } = serveMailroom(mailroom);
  const port = await listen(server, config.port, '127.0.0.1');
  mailroom.worker.start();
  const upkeep = {
    db: mailroom.db,
    queue: mailroom.queue,
    mailboxes: mailroom.repos.mailboxes,
    clock: mailroom.clock,
    log,
    catchupIntervalMinutes: config.catchupIntervalMinutes,
  };
  trace('listening');
  await enqueueStartupCatchups(upkeep);
  trace('catch-ups queued');
  startUpkeep(upkeep);
  process.stdout.write(`READY ${port}\n`);
  process.once('SIGTERM', () => {
    server.close();
    void mailroom.worker.stop().then(() => process.exit(0));
  });
}

run().catch((err: unknown) => {
  process.stderr.write(`fault-server failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
