import { composeMailroom } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { listen } from './http/server.js';
import { createLogger } from './log.js';
import { enqueueStartupCatchups, startUpkeep } from './mail/upkeep.js';
import { type Sandbox, startSandbox } from './sandbox/start-sandbox.js';
import { createTabIssuer, type TabIssuer } from './sandbox/tab-issuer.js';
import { serveMailroom } from './serve.js';

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
  const log = createLogger(config.logLevel);

  let sandbox: Sandbox | undefined;
  let tabIssuer: TabIssuer | undefined;
  if (config.sandbox) {
    sandbox = await startSandbox(config, log, {
      graph: Number(process.env.SANDBOX_GRAPH_PORT ?? 3979),
      netsuite: Number(process.env.SANDBOX_NETSUITE_PORT ?? 3980),
    });
    config = sandbox.config;
    tabIssuer = await createTabIssuer({
      clientId: config.tab.clientId,
      baseUrl: `http://127.0.0.1:${config.port}`,
      tenantId: sandbox.tenantId,
    });
  }

  const mailroom = await composeMailroom(config, log, sandbox ? { netsuiteUiBaseUrl: sandbox.netsuiteUiBaseUrl } : {});
  const { server } = serveMailroom(mailroom, tabIssuer ? { tabIssuer } : {});
  const port = await listen(server, config.port, config.sandbox ? '127.0.0.1' : '0.0.0.0');
  mailroom.worker.start();
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
  log.info({ port, sandbox: config.sandbox, database: mailroom.db.engine }, 'Mailroom is running');
  if (config.sandbox) printSandboxHelp(port);

  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close();
    upkeep.stop();
    await mailroom.worker.stop();
    await mailroom.db.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function printSandboxHelp(port: number): void {
  const lines = [
    '',
    `Mailroom sandbox is up on http://127.0.0.1:${port} (bot auth off, SQLite under ./data, Graph and NetSuite emulated).`,
    '',
    'Next:',
    '  1. In another terminal:  npm run playground',
    '     In the Playground, pick the team channel and type:  @Mailroom /watch support@contoso.com',
    '  2. Send an email:        npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "Order 1042 is late"',
    '     A card appears in that channel within seconds. Add --reply to answer in the same thread.',
    `  3. Dashboard:            http://127.0.0.1:${port}/tab/index.html`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(
    `Mailroom failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
