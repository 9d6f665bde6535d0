import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  Answer,
  CardArrival,
  MailSpec,
  PostSummary,
  Request,
  ServicesOptions,
  ServicesReady,
} from './services-protocol.js';

export interface Services extends ServicesReady {
  pid: number;
  /** Stores the mails in the Graph emulator and returns the notification body of each. */
  deliver(mails: MailSpec[]): Promise<string[]>;
  /** Waits up to `timeoutMs` for the card of every token (and its first update), and says when each came. */
  cards(tokens: string[], opts: { waitForUpdate?: boolean; timeoutMs: number }): Promise<CardArrival[]>;
  posts(): Promise<{ posts: PostSummary[]; throttled: number }>;
  setNetSuiteLatency(ms: number): Promise<void>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./services-process.ts', import.meta.url));

/** Starts the services process (services-process.ts) and resolves once its servers listen. */
export async function startServices(opts: ServicesOptions): Promise<Services> {
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVICES: JSON.stringify(opts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<ServicesReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ServicesReady));
    child.once('exit', (code) => reject(new Error(`the services process exited (${code}) before it was ready`)));
  });
  const waiting = new Map<number, (a: Answer) => void>();
  let nextId = 1;
  child.on('message', (m) => {
    const { id, ...a } = m as Answer & { id: number };
    waiting.get(id)?.(a as Answer);
    waiting.delete(id);
  });
  const ask = <K extends Answer['op']>(req: Request, op: K): Promise<Extract<Answer, { op: K }>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (a) => {
        if (a.op === op) resolve(a as Extract<Answer, { op: K }>);
        else reject(new Error(a.op === 'error' ? a.message : `unexpected answer ${a.op}`));
      });
      child.send({ ...req, id });
    });
  return {
    ...ready,
    pid: child.pid ?? 0,
    deliver: async (mails) => (await ask({ op: 'deliver', mails }, 'deliver')).bodies,
    cards: async (tokens, o) =>
      (await ask({ op: 'cards', tokens, waitForUpdate: o.waitForUpdate ?? false, timeoutMs: o.timeoutMs }, 'cards'))
        .cards,
    posts: async () => {
      const a = await ask({ op: 'posts' }, 'posts');
      return { posts: a.posts, throttled: a.throttled };
    },
    setNetSuiteLatency: async (ms) => void (await ask({ op: 'netsuiteLatency', ms }, 'ok')),
    close: async () => {
      if (child.exitCode === null) await ask({ op: 'close' }, 'ok').catch(() => undefined);
      await exited;
    },
  };
}
