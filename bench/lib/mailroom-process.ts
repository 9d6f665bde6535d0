import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ProcSample, sampleProcess } from './proc-stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Mailroom's sources, and where scripts/build-bot.mjs compiles them (the same layout). */
const SRC = join(ROOT, 'bot', 'src');
const BUILD = join(ROOT, 'dist', 'bot');

/**
 * `npm start`'s command (package.json), split into node's options and the script: `node <options> dist/bot/main.js`.
 * Read rather than copied, so the benchmarks start what production starts.
 */
function startCommand(): { options: string[]; script: string } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts.start ?? '').split(/\s+/).filter(Boolean);
  const script = words.at(-1) ?? '';
  if (words[0] !== 'node' || !script.endsWith('.js')) {
    throw new Error(
      `npm start is not \`node … <script>.js\` (it is \`${pkg.scripts.start}\`): update ${basename(import.meta.url)}`,
    );
  }
  return { options: words.slice(1, -1), script: join(ROOT, script) };
}

/** What npm start's prestart does for the bot: compile it if a source is newer than the last build. */
function buildIfStale(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-bot.mjs'), '--if-stale'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`scripts/build-bot.mjs failed (${r.status ?? r.signal})`);
}

/**
 * A bench preload is TypeScript that patches Mailroom's modules, imported from bot/src. Mailroom runs the compiled
 * build, so the preload is compiled too (into dist/bench, where packages resolve as from the repository), its
 * imports of bot/src pointing at the same modules in dist/bot: the class it patches is the one Mailroom runs.
 */
async function compilePreload(file: string): Promise<string> {
  const out = join(ROOT, 'dist', 'bench', basename(file).replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [file],
    outfile: out,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
    plugins: [
      {
        name: 'mailroom-build',
        setup(b) {
          b.onResolve({ filter: /\/bot\/src\// }, (a) => {
            const compiled = relative(dirname(out), join(BUILD, relative(SRC, resolve(a.resolveDir, a.path))));
            return { path: compiled.startsWith('.') ? compiled : `./${compiled}`, external: true };
          });
        },
      },
    ],
  });
  return out;
}

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
  /** Extra modules (TypeScript) loaded before Mailroom's main module (bench-only settings such as pacing off). */
  preload?: string[];
  /** Write a V8 CPU profile of the whole run into this directory (--cpu-prof), sampling every so many µs. */
  cpuProf?: { dir: string; intervalUs?: number };
}

/**
 * Mailroom as `npm start` runs it (the compiled build, dist/bot/main.js, built first if stale, with npm start's
 * node options), with the environment pointing it at the services process. node is started directly rather than
 * through npm, so the pid is Mailroom itself and /proc reads its CPU and memory alone. Resolves once GET /readyz
 * answers 200.
 */
export async function startMailroom(o: MailroomStart): Promise<MailroomProcess> {
  buildIfStale();
  const { options, script } = startCommand();
  const preloads = await Promise.all((o.preload ?? []).map(compilePreload));
  const args = [...options, ...preloads.flatMap((p) => ['--import', p])];
  if (o.cpuProf) {
    args.push('--cpu-prof', '--cpu-prof-dir', o.cpuProf.dir);
    if (o.cpuProf.intervalUs) args.push('--cpu-prof-interval', String(o.cpuProf.intervalUs));
  }
  const log = openSync(o.logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...args, script], {
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
