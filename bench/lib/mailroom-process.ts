import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ProcSample, sampleProcess } from './proc-stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../bot/src/main.ts', import.meta.url));

export interface MailroomProcess {
  url: string;
  pid: number;
  sample(): ProcSample;
  /** SIGTERM: Mailroom's own shutdown (it stops the worker, closes the database, and a --cpu-prof is written). */
  stop(): Promise<void>;
}

export interface MailroomStart {
  port: number;
  /** The environment on top of this process's: DATABASE_URL, the services' settings (mailroom-env.ts). */
  env: Record<string, string>;
  /** Where Mailroom's log lines (pino's JSON on stdout and stderr) go; production writes them to a collector. */
  logFile: string;
  /** Extra modules loaded before main.ts (bench-only settings such as pacing off). */
  preload?: string[];
  /** Write a V8 CPU profile of the whole run into this directory (--cpu-prof), sampling every so many µs. */
  cpuProf?: { dir: string; intervalUs?: number };
}

/**
 * Mailroom as `npm start` runs it (node with tsx's loader, then bot/src/main.ts), with the environment pointing it
 * at the services process. node is started directly rather than through npm and tsx's CLI, so the pid is
 * Mailroom itself and /proc reads its CPU and memory alone. Resolves once GET /readyz answers 200.
 */
export async function startMailroom(o: MailroomStart): Promise<MailroomProcess> {
  const args = ['--import', 'tsx', ...(o.preload ?? []).flatMap((p) => ['--import', p])];
  if (o.cpuProf) {
    args.push('--cpu-prof', '--cpu-prof-dir', o.cpuProf.dir);
    if (o.cpuProf.intervalUs) args.push('--cpu-prof-interval', String(o.cpuProf.intervalUs));
  }
  const log = openSync(o.logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...args, MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...o.env, PORT: String(o.port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${o.port}`;
  const until = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Mailroom exited (${child.exitCode}) at startup; see ${o.logFile}`);
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`Mailroom was not ready within 90 s; see ${o.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    sample: () => sampleProcess(pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
