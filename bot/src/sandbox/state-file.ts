import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An emulator's state on disk, so a restart of the sandbox keeps its mail, subscriptions and records the way the
 * real services keep theirs. Writes are atomic (a temporary file renamed over the old one) and batched: a change
 * marks the state dirty, and it is written shortly after, or at once on flush (when the sandbox stops).
 */
export interface StateFile<T> {
  readonly path: string;
  /** The saved snapshot; null when there is none, or it is unreadable or of another version (said in `problem`). */
  load(): T | null;
  /** Why the last load found nothing usable, for one log line. */
  readonly problem: string | null;
  /** Asks for a write of `snapshot()` soon. */
  changed(): void;
  /** Writes now if a change is pending. */
  flush(): void;
}

interface Envelope<T> {
  version: number;
  savedAt: string;
  state: T;
}

export function stateFile<T>(path: string, version: number, snapshot: () => T, delayMs = 100): StateFile<T> {
  let timer: NodeJS.Timeout | null = null;
  let problem: string | null = null;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    mkdirSync(dirname(path), { recursive: true });
    const envelope: Envelope<T> = { version, savedAt: new Date().toISOString(), state: snapshot() };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(envelope));
    renameSync(tmp, path);
  };
  return {
    path,
    get problem() {
      return problem;
    },
    load() {
      problem = null;
      if (!existsSync(path)) return null;
      try {
        const env = JSON.parse(readFileSync(path, 'utf8')) as Partial<Envelope<T>>;
        if (env.version !== version || env.state === undefined) {
          problem = `${path} is from another version of the sandbox; starting from the seed`;
          return null;
        }
        return env.state;
      } catch (err) {
        problem = `${path} could not be read (${err instanceof Error ? err.message : String(err)}); starting from the seed`;
        return null;
      }
    },
    changed() {
      if (timer) return;
      timer = setTimeout(write, delayMs);
      timer.unref();
    },
    flush() {
      if (timer) write();
    },
  };
}
