/**
 * `npm run screenshots`: refreshes the pictures the README shows, in docs/img. It is the only command that
 * writes there (tests keep theirs in the git-ignored test-results/), so review and commit what it changed.
 *
 *  1. The Dashboard: the browser test, run with SCREENSHOT_DIR=docs/img.
 *  2. The Playground: a fresh sandbox (its own temporary database) and the Agents Playground, started here on
 *     PORT, SANDBOX_GRAPH_PORT, SANDBOX_NETSUITE_PORT and PLAYGROUND_PORT, then driven by playground-demo.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installInTeam, launchPlayground } from '../bot/src/sandbox/playground.js';
import { ensurePortFree, type PortVariable, portOf } from '../bot/src/sandbox/ports.js';
import { chromiumMissing } from './chromium.js';
import { playgroundDemo } from './playground-demo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMG = join(ROOT, 'docs/img');
const BIN = join(ROOT, 'node_modules/.bin');

/** Runs a command to its end with the terminal attached; resolves with its exit code. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('exit', (code) => done(code ?? 1));
  });
}

async function waitForHealth(url: string, child: ChildProcess, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4 && child.exitCode === null; i++) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Stops a child started in its own process group (tsx runs the bot in a grandchild). */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
}

async function playgroundShots(): Promise<number> {
  const ports = Object.fromEntries(
    (['PORT', 'SANDBOX_GRAPH_PORT', 'SANDBOX_NETSUITE_PORT', 'PLAYGROUND_PORT'] as const).map((n) => [n, portOf(n)]),
  ) as Record<PortVariable, number>;
  for (const [name, port] of Object.entries(ports)) await ensurePortFree(name as PortVariable, port);
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-screenshots-'));
  const log = join(dir, 'mailroom.log');
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const bot = spawn(join(BIN, 'tsx'), ['bot/src/main.ts'], {
    cwd: ROOT,
    env: { ...env, DATABASE_URL: `sqlite:${join(dir, 'mailroom.db')}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    detached: true,
  });
  try {
    if (!(await waitForHealth(`http://127.0.0.1:${ports.PORT}/healthz`, bot, 120))) {
      console.error(`The sandbox did not start. Its output:\n${readFileSync(log, 'utf8')}`);
      return 1;
    }
    const pg = await launchPlayground({
      botEndpoint: `http://127.0.0.1:${ports.PORT}/api/messages`,
      port: ports.PLAYGROUND_PORT,
      logFile: join(dir, 'playground.log'),
      cwd: dir,
    });
    try {
      await installInTeam(pg.base);
      Object.assign(process.env, env);
      return await playgroundDemo({ playground: `http://localhost:${pg.port}`, outDir: IMG });
    } finally {
      await pg.stop();
    }
  } finally {
    await stopGroup(bot);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function screenshots(): Promise<number> {
  const missing = chromiumMissing();
  if (missing) {
    console.error(`Cannot take screenshots: ${missing}`);
    return 1;
  }
  console.log('The Dashboard (test/e2e/tab.test.ts) → docs/img/dashboard-*.png');
  const tab = await run(join(BIN, 'vitest'), ['run', 'test/e2e/tab.test.ts'], { ...process.env, SCREENSHOT_DIR: IMG });
  if (tab !== 0) return tab;
  console.log('The Agents Playground walk-through (scripts/playground-demo.ts) → docs/img/playground-*.png');
  return playgroundShots();
}

process.exitCode = await screenshots().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  return 1;
});
