/**
 * `npm run playground`: opens the Microsoft 365 Agents Playground (a local Teams look-alike) on the running bot.
 * The team, its channels and its people come from .m365agentsplayground.yml. See docs/playground-notes.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config.js';
import { ensurePortFree, movedPorts, PortInUseError, portOf } from './ports.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PLAYGROUND_CONFIG = resolve(ROOT, '.m365agentsplayground.yml');

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** The port to ask for. The Playground quietly takes a random one when it is busy, so read `port` back. */
  port: number;
  /** Where the Playground writes its log (by default it would write ./devTools/ in its working directory). */
  logFile: string;
  cwd?: string;
  /** Echo the Playground's own output (the CLI does; tests keep it quiet). */
  echo?: boolean;
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port>, for the scripted API and the mock connector. */
  base: string;
  stop(): Promise<void>;
}

/**
 * Starts the Playground and resolves once it answers, with the port it really listens on (it prints
 * "Listening on <port>"). Rejects with the reason when it exits or stays silent, so callers can say why.
 */
export async function launchPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const args = [cli, '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
      M365_AGENTS_PLAYGROUND_LOGFILE: opts.logFile,
      TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none',
    },
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  let output = '';
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the Playground printed no "Listening on" line in time. Its output:\n${output}`)),
      opts.startTimeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (opts.echo) process.stdout.write(text);
      const m = /Listening on (\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the Playground exited (code ${code}) before it listened. Its output:\n${output}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitFor(`${base}/_debug/ping`, 10))) {
    await stop();
    throw new Error(`the Playground listens on ${port} but ${base}/_debug/ping does not answer`);
  }
  return { child, port, base, stop };
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    // Refused or timed out: the caller says what to do.
    return false;
  }
}

async function waitFor(url: string, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(url)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Tells the bot it was installed in the Playground's team (installationUpdate + conversationUpdate/membersAdded),
 * as the Playground's own page does when it opens, so Mailroom knows the team before anyone types.
 */
export async function installInTeam(base: string): Promise<{ id: string; name: string } | undefined> {
  const res = await fetch(`${base}/_internal/v1/testConfig`);
  const body = (await res.json()) as { config?: { teams?: { id: string; name: string }[] } };
  const team = body.config?.teams?.[0];
  if (!team) return undefined;
  const installed = await fetch(`${base}/_debug/conversation/${encodeURIComponent(team.id)}/installation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!installed.ok) throw new Error(`the Playground refused the install event (${installed.status})`);
  return { id: team.id, name: team.name };
}

async function cli(): Promise<number> {
  let botPort: number;
  let port: number;
  try {
    botPort = portOf('PORT');
    port = portOf('PLAYGROUND_PORT');
    // The Playground would quietly take a random port instead; say which variable moves it.
    await ensurePortFree('PLAYGROUND_PORT', port);
  } catch (err) {
    if (!(err instanceof PortInUseError || err instanceof ConfigError)) throw err;
    console.log(err.message);
    return 1;
  }
  const bot = `http://127.0.0.1:${botPort}`;
  if (!(await reachable(`${bot}/healthz`))) {
    console.log(
      `Mailroom is not answering on ${bot}/healthz. Run \`npm start\` first (in another terminal, with the same PORT), then retry.`,
    );
    return 1;
  }
  let pg: RunningPlayground;
  try {
    pg = await launchPlayground({
      botEndpoint: `${bot}/api/messages`,
      port,
      logFile: resolve(ROOT, 'data/playground.log'),
      echo: true,
    });
  } catch (err) {
    console.log(`The Playground did not start: ${err instanceof Error ? err.message : String(err)}`);
    console.log('See data/playground.log.');
    return 1;
  }
  const team = await installInTeam(pg.base);
  console.log(
    [
      '',
      `Agents Playground: open http://localhost:${pg.port}`,
      `  Mailroom is installed in the team "${team?.name ?? '?'}". Open its Support channel and type:`,
      '    @Mailroom /watch support@contoso.com',
      '  Then, in another terminal:',
      `    ${movedPorts()}npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "Order 1042 is late"`,
      '  Press Ctrl+C to stop the Playground.',
    ].join('\n'),
  );
  const stopAndExit = () => void pg.stop().then(() => process.exit(0));
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);
  return new Promise((done) => pg.child.once('exit', (code) => done(code ?? 0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await cli();
}
