import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../bot/src/config.js';
import { channelCommand } from '../helpers/bot-framework.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/fault-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  url: string;
  pid: number;
  /** kill -9: no shutdown, no cleanup, leases left as they were. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Mailroom as a real process (node with tsx's loader, so a SIGKILL hits the server itself, not a
 * wrapper), with the given config, and resolves once it prints READY.
 */
export async function startChildServer(config: Config, opts: { leaseMs?: number } = {}): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: {
      ...process.env,
      MAILROOM_CONFIG_JSON: JSON.stringify(config),
      FAULT_LEASE_MS: String(opts.leaseMs ?? 2_000),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child server did not start:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${config.port}`,
    pid: child.pid ?? 0,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      // A graceful stop may wait on a job; the tests need the process gone, not a clean shutdown.
      if (child.exitCode === null) child.kill('SIGKILL');
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
