import { composeMailroom } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { listen } from './http/server.js';
import { logReleases, releaseHeapWhenQuiet } from './idle-heap.js';
import { floodMeter, type Pressure, workerLimit } from './intake-flood.js';
import { asyncStdout, createLogger } from './log.js';
import { enqueueStartupCatchups, startUpkeep } from './mail/upkeep.js';
import { ensurePortFree, movedPorts, PortInUseError, portOf } from './sandbox/ports.js';
import type { Sandbox } from './sandbox/start-sandbox.js';
import type { TabIssuer } from './sandbox/tab-issuer.js';
import { serveMailroom } from './serve.js';
import { startRetention } from './store/retention.js';
import { ensureSearchIndex, ensureSearchStatistics } from './store/search-index.js';
import { startWorkerThread } from './worker-host.js';

/** main.ts's line as the pressure of Graph's notifications changes (intake-flood.ts). */
const PRESSURE_LINE: Record<Pressure, string> = {
  calm: 'Graph notifications have eased: the worker runs at full pace',
  surge: 'Graph notifications are surging: the worker runs fewer jobs at once',
  flood: 'Graph notifications are flooding in: one job at a time until they ease',
};

/** The composition root: config → store → clients → app → server + workers. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, asyncStdout());

  const host = config.sandbox ? '127.0.0.1' : '0.0.0.0';
  // Every port is checked before anything starts, so a taken one is one line naming its variable.
  if (config.port !== 0) await ensurePortFree('PORT', config.port, host);
  let sandbox: Sandbox | undefined;
  let tabIssuer: TabIssuer | undefined;
  if (config.sandbox) {
    const ports = { graph: portOf('SANDBOX_GRAPH_PORT'), netsuite: portOf('SANDBOX_NETSUITE_PORT') };
    await ensurePortFree('SANDBOX_GRAPH_PORT', ports.graph, '127.0.0.1');
    await ensurePortFree('SANDBOX_NETSUITE_PORT', ports.netsuite, '127.0.0.1');
    // Loaded only here: a deployment with credentials never holds the emulators in memory.
    const { sandboxStateDir, startSandbox } = await import('./sandbox/start-sandbox.js');
    const { createTabIssuer } = await import('./sandbox/tab-issuer.js');
    sandbox = await startSandbox(config, log, ports, { stateDir: sandboxStateDir(config.databaseUrl) });
    config = sandbox.config;
    tabIssuer = await createTabIssuer({
      clientId: config.tab.clientId,
      baseUrl: `http://127.0.0.1:${config.port}`,
      tenantId: sandbox.tenantId,
    });
  }

  const mailroom = await composeMailroom(config, log, sandbox ? { netsuiteUiBaseUrl: sandbox.netsuiteUiBaseUrl } : {});
  // Once per process, not in each thread that composes Mailroom: the Dashboard search's index and statistics.
  const storeLog = log.child({ component: 'store' });
  await ensureSearchIndex(mailroom.db, storeLog);
  await ensureSearchStatistics(mailroom.db, storeLog);
  // Before listening: /readyz answers only once the worker claims jobs.
  const workerThread =
    config.workerMode === 'thread'
      ? await startWorkerThread(
          config,
          sandbox ? { netsuiteUiBaseUrl: sandbox.netsuiteUiBaseUrl } : {},
          mailroom.queue,
          log.child({ component: 'worker-host' }),
        )
      : undefined;
  // Acknowledging Graph comes first: while its notifications surge or flood in, the worker runs fewer jobs at once.
  const flood = floodMeter({
    onChange: (pressure) => {
      log.info({ pressure, workerLimit: workerLimit(pressure) ?? null }, PRESSURE_LINE[pressure]);
      if (workerThread) workerThread.pressure(pressure);
      else mailroom.worker.limit(workerLimit(pressure));
    },
  });
  const { server } = serveMailroom(mailroom, {
    ...(tabIssuer ? { tabIssuer } : {}),
    onNotificationsStored: (n) => flood.count(n),
  });
  const port = await listen(server, config.port, host).catch((err: NodeJS.ErrnoException) => {
    // Taken between the check and now.
    throw err.code === 'EADDRINUSE' ? new PortInUseError('PORT', config.port) : err;
  });
  if (config.workerMode === 'inline') mailroom.worker.start();
  // This thread's heap, like the worker's, keeps what a burst grew it to until it is collected when quiet.
  const heap = releaseHeapWhenQuiet({ onRelease: logReleases(log, 'quiet after requests: heap given back') });
  server.on('request', () => heap.activity());
  const unsubscribe = mailroom.queue.onEnqueue(() => heap.activity());
  // Issue 5: catch up on mail that arrived while down, then keep catching up and renewing on a schedule.
  const upkeepDeps = {
    db: mailroom.db,
    queue: mailroom.queue,
    mailboxes: mailroom.repos.mailboxes,
    clock: mailroom.clock,
    log: log.child({ component: 'upkeep' }),
    catchupIntervalMinutes: config.catchupIntervalMinutes,
  };
  await enqueueStartupCatchups(upkeepDeps);
  const upkeep = startUpkeep(upkeepDeps);
  const retention = startRetention({
    db: mailroom.db,
    clock: mailroom.clock,
    log: log.child({ component: 'retention' }),
    policy: { auditDays: config.auditRetentionDays },
  });
  log.info(
    { port, sandbox: config.sandbox, database: mailroom.db.engine, workerMode: config.workerMode },
    'Mailroom is running',
  );
  if (config.sandbox) printSandboxHelp(port);

  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close();
    heap.stop();
    flood.stop();
    unsubscribe();
    upkeep.stop();
    retention.stop();
    await mailroom.worker.stop();
    await workerThread?.stop();
    await mailroom.db.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function printSandboxHelp(port: number): void {
  const env = movedPorts();
  const lines = [
    '',
    `Mailroom sandbox is up on http://127.0.0.1:${port} (bot auth off, SQLite under ./data, Graph and NetSuite emulated).`,
    '',
    'Next:',
    `  1. In another terminal:  ${env}npm run playground`,
    '     In the Playground, pick the team channel and type:  @Mailroom /watch support@contoso.com',
    `  2. Send an email:        ${env}npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "Order 1042 is late"`,
    '     A card appears in that channel within seconds. Add --reply to answer in the same thread, --attach FILE',
    '     to attach a file. To see a failed save and its Retry: npm run sandbox:netsuite -- --fail-next',
    `  3. Dashboard:            http://127.0.0.1:${port}/tab/index.html`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  // A setting to change is one line; anything else is a defect, so it keeps its stack.
  const known = err instanceof PortInUseError || err instanceof ConfigError;
  const text = known
    ? err.message
    : `Mailroom failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
