/**
 * `npm run playground`: opens the Microsoft 365 Agents Playground (a local Teams look-alike) on the running bot.
 * The team, its channels and its people come from .m365agentsplayground.yml. See docs/playground-notes.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PLAYGROUND_PORT = 56150;

interface Options {
  botPort: number;
  fetch: typeof fetch;
  log: (line: string) => void;
}

async function reachable(url: string, fetchFn: typeof fetch): Promise<boolean> {
  try {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    // Refused or timed out: the caller says what to do.
    return false;
  }
}

async function waitFor(url: string, fetchFn: typeof fetch, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(url, fetchFn)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Tells the bot it was installed in the Playground's team (installationUpdate + conversationUpdate/membersAdded),
 * as the Playground's own page does when a conversation is opened, so Mailroom knows the team before anyone types.
 */
async function installInTeam(base: string, fetchFn: typeof fetch): Promise<string | undefined> {
  const res = await fetchFn(`${base}/_internal/v1/testConfig`);
  const body = (await res.json()) as { config?: { teams?: { id: string; name: string }[] } };
  const team = body.config?.teams?.[0];
  if (!team) return undefined;
  await fetchFn(`${base}/_debug/conversation/${encodeURIComponent(team.id)}/installation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return team.name;
}

export async function startPlayground(opts: Options): Promise<ChildProcess | undefined> {
  const bot = `http://127.0.0.1:${opts.botPort}`;
  if (!(await reachable(`${bot}/healthz`, opts.fetch))) {
    opts.log(`Mailroom is not answering on ${bot}/healthz. Run \`npm start\` first (in another terminal), then retry.`);
    return undefined;
  }
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  mkdirSync(resolve(ROOT, 'data'), { recursive: true });
  const child = spawn(
    process.execPath,
    [cli, '-e', `${bot}/api/messages`, '-c', 'msteams', '-p', String(PLAYGROUND_PORT), '--disable-telemetry'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: resolve(ROOT, '.m365agentsplayground.yml'),
        // Its default log path is ./devTools/ in the working tree.
        M365_AGENTS_PLAYGROUND_LOGFILE: resolve(ROOT, 'data/playground.log'),
      },
    },
  );
  const base = `http://127.0.0.1:${PLAYGROUND_PORT}`;
  if (!(await waitFor(`${base}/_debug/ping`, opts.fetch, 30))) {
    opts.log(`The Playground did not start on port ${PLAYGROUND_PORT}; see data/playground.log.`);
    return child;
  }
  const team = await installInTeam(base, opts.fetch);
  opts.log(
    [
      '',
      `Agents Playground: open http://localhost:${PLAYGROUND_PORT}`,
      `  Mailroom is installed in the team "${team ?? '?'}". Open its Support channel and type:`,
      '    @Mailroom /watch support@contoso.com',
      '  Then, in another terminal:',
      '    npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "Order 1042 is late"',
      '  Press Ctrl+C to stop the Playground.',
    ].join('\n'),
  );
  return child;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const child = await startPlayground({
    botPort: Number(process.env.PORT ?? 3978),
    fetch,
    log: (line) => console.log(line),
  });
  if (!child) process.exitCode = 1;
  else child.on('exit', (code) => process.exit(code ?? 0));
}
