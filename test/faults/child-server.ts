import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../bot/src/config.js';
import { channelCommand } from '../helpers/bot-framework.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/fault-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  url: string;
  pid: number;
  /** Milliseconds from spawn to READY (tsx's loader, migrations, listen, startup catch-ups). */
  startupMs: number;
  /** kill -9: no shutdown, no cleanup, leases left as they were. Resolves once the process is gone. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  leaseMs?: number;
  /** Passed as FAULT_SAVING_STALE_MS (see scripts/fault-server.ts). */
  savingStaleMs?: number;
  /** How long to wait for READY; a loaded 2-core machine needs a while to load tsx and the app. */
  startTimeoutMs?: number;
}

/**
 * Starts Mailroom as a real process (node with tsx's loader, so a SIGKILL hits the server itself, not a
 * wrapper), with the given config, and resolves once it prints READY.
 */
export async function startChildServer(config: Config, opts: ChildOptions = {}): Promise<ChildServer> {
  const t0 = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: {
      ...process.env,
      MAILROOM_CONFIG_JSON: JSON.stringify(config),
      FAULT_LEASE_MS: String(opts.leaseMs ?? 2_000),
      ...(opts.savingStaleMs !== undefined ? { FAULT_SAVING_STALE_MS: String(opts.savingStaleMs) } : {}),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (process.env.TEST_LOG_LEVEL || process.env.FAULT_TRACE) process.stderr.write(d);
  });
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    const limit = opts.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child server did not print READY within ${limit} ms:\n${stderr.slice(-4000)}`));
    }, limit);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(d);
      if (stdout.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child server exited (${code ?? signal}) before READY:\n${stderr.slice(-4000)}`));
    });
  });
  // Keep reading its output (the log, with TEST_LOG_LEVEL) so a full pipe never blocks the child.
  child.stdout?.resume();
  return {
    url: `http://127.0.0.1:${config.port}`,
    pid: child.pid ?? 0,
    startupMs: Date.now() - t0,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      // A graceful stop may wait on a job; the tests need the process gone, not a clean shutdown.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `@Mailroom /watch <address>` in the fixture channel, with replies going to the fake connector. */
export async function watchVia(url: string, connectorUrl: string, address: string): Promise<number> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...channelCommand(`/watch ${address}`), serviceUrl: connectorUrl }),
  });
  await res.text();
  return res.status;
}
