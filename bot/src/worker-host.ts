import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Overrides } from './compose.js';
import type { Config } from './config.js';
import type { Pressure } from './intake-flood.js';
import type { JobQueue } from './jobs/queue.js';
import type { HostMessage, ThreadData, ThreadMessage } from './worker-thread.js';

export interface WorkerThreadHost {
  /** How hard Graph's notifications are coming in: the worker thread's limit follows it (intake-flood.ts). */
  pressure(pressure: Pressure): void;
  stop(): Promise<void>;
}

/**
 * The modules this process was started with `--import` (other than tsx's loader): Node 20 does not load them into a
 * worker thread, so the thread loads them itself before its entry, and runs with the same preloads as the process.
 */
function parentImports(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const v = a === '--import' ? args[++i] : a.startsWith('--import=') ? a.slice('--import='.length) : undefined;
    if (v === undefined || v === 'tsx' || v.includes('/tsx/')) continue;
    out.push(v.startsWith('.') || isAbsolute(v) ? pathToFileURL(resolve(v)).href : import.meta.resolve(v));
  }
  return out;
}

/**
 * V8 sizes each thread's young generation for a server with memory to spare (two 16 MiB semi-spaces), and a burst
 * fills both. The worker's jobs allocate briefly and keep little, so smaller semi-spaces cost a few more quick
 * scavenges and give back about 25 MiB of resident memory. The old generation keeps V8's default: a tight cap would
 * end the thread on a large email.
 * https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#new-workerfilename-options
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 16 };

/**
 * The thread's entry: the compiled .js beside this file (npm start runs dist/bot), or, under tsx (npm run dev, the
 * tests), the .ts through tsx's loader.
 */
function spawn(data: ThreadData): Thread {
  const ts = import.meta.url.endsWith('.ts');
  const entry = new URL(`./worker-thread.${ts ? 'ts' : 'js'}`, import.meta.url).href;
  const preloads = parentImports();
  if (!ts && preloads.length === 0)
    return new Thread(new URL(entry), { workerData: data, resourceLimits: THREAD_LIMITS });
  // A worker thread does not inherit tsx's module hooks nor --import: it registers the one and loads the others.
  const steps = [
    ...(ts ? [`(await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();`] : []),
    ...[...preloads, entry].map((m) => `await import(${JSON.stringify(m)});`),
  ];
  return new Thread(`(async () => { ${steps.join(' ')} })();`, {
    eval: true,
    workerData: data,
    resourceLimits: THREAD_LIMITS,
  });
}

/**
 * Runs the job worker on its own thread and nudges it whenever this process enqueues a job (a notification's
 * ingest, a click's card update), so it claims at once instead of at its next poll. A thread that dies is started
 * again after a second; the jobs it held are taken up again when their leases run out.
 */
export async function startWorkerThread(
  config: Config,
  overrides: Pick<Overrides, 'netsuiteUiBaseUrl'>,
  queue: JobQueue,
  log: Logger,
): Promise<WorkerThreadHost> {
  let thread: Thread;
  let stopping = false;
  let nudgeQueued = false;
  let pressure: Pressure = 'calm';
  const send = (m: HostMessage) => thread.postMessage(m);

  const start = () =>
    new Promise<void>((resolve, reject) => {
      thread = spawn({ config, overrides });
      thread.once('message', (m: ThreadMessage) => {
        if (m.type !== 'ready') return;
        // A thread started again during a surge or a flood starts under its limit too.
        if (pressure !== 'calm') send({ type: 'pressure', pressure });
        resolve();
      });
      thread.once('error', (err) => {
        log.error({ err }, 'the job worker thread failed');
        reject(err);
      });
      thread.once('exit', (code) => {
        if (stopping) return;
        log.error({ code }, 'the job worker thread stopped; starting it again in a second');
        setTimeout(() => void start().catch(() => undefined), 1_000).unref();
      });
    });
  await start();

  // Many enqueues in one turn of the event loop (a burst's group commit) make one message.
  const unsubscribe = queue.onEnqueue(() => {
    if (nudgeQueued) return;
    nudgeQueued = true;
    setImmediate(() => {
      nudgeQueued = false;
      send({ type: 'nudge' });
    });
  });
  return {
    pressure: (p) => {
      pressure = p;
      send({ type: 'pressure', pressure: p });
    },
    async stop() {
      stopping = true;
      unsubscribe();
      const stopped = new Promise<void>((resolve) => {
        thread.on('message', (m: ThreadMessage) => (m.type === 'stopped' ? resolve() : undefined));
        thread.once('exit', () => resolve());
      });
      send({ type: 'stop' });
      await stopped;
      await thread.terminate();
    },
  };
}
