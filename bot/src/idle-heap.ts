import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from 'pino';

/**
 * V8's full collection, as `--expose-gc` offers it, taken for this thread without starting the process with that
 * flag: the flag is set only while one new context is made (a context gets `gc` when it is created), then cleared.
 * https://nodejs.org/docs/latest-v20.x/api/v8.html#v8setflagsfromstringflags
 */
function fullCollection(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own) return own;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * A release is full collections one check apart (a second, by default), at least two and at most four, until one
 * gives back less than a MiB. One alone leaves much of a burst's heap committed: the live objects are spread over
 * many pages, a collection compacts only some of them, and the pages it frees go back once its concurrent sweeping
 * is done, so a size read right after it shows nothing given back yet. In the job worker after a 300-email burst,
 * one collection left 87–121 MiB of old space for 35 MiB of live objects; another a few seconds later took it to
 * 41. (A heap of 210 MiB with a twentieth of it live: 150 MiB after one, 56 after two, 43 after three.) V8 does
 * the like when the embedder reports low memory; Node does not expose that call.
 */
const MIN_ROUNDS = 2;
const MAX_ROUNDS = 4;
const SETTLED_BYTES = 1024 * 1024;

export interface HeapRelease {
  /** Work arrived (a nudge, a job enqueued): the thread is busy again. */
  activity(): void;
  stop(): void;
}

export interface HeapReleaseOptions {
  /** How long the thread must be quiet: no activity, and its event loop busy under 5 % of the time. */
  quietMs?: number;
  checkMs?: number;
  /**
   * Collect only if the heap has grown at least this much over its smallest size since the last collection (or
   * since this started): a burst's growth, not the odd request's.
   */
  growthBytes?: number;
  /** After a release: the heap's size before and after it, and how many full collections it took. */
  onRelease?: (heapBefore: number, heapAfter: number, collections: number) => void;
}

/**
 * Gives back the heap a burst left behind, once the thread has been quiet for a while. A burst grows V8's heap to
 * its high-water mark (the job worker's old generation: 48 → 147 MiB for 300 emails, 42 MiB of it live; its young
 * generation to 16 MiB), and V8 keeps it: its memory reducer did not shrink either thread's heap in 20 quiet
 * seconds. How much of the heap is garbage cannot be read without a collection (V8 counts dead objects as used
 * until one runs), so the trigger is growth: once per quiet spell after the heap grew by `growthBytes`, a release
 * (a few collections of tens of milliseconds, a second apart, never during a burst) returns the free pages.
 * Nothing is capped: a large email still gets all the heap it needs.
 */
export function releaseHeapWhenQuiet(opts: HeapReleaseOptions = {}): HeapRelease {
  const quietMs = opts.quietMs ?? 3_000;
  const growth = opts.growthBytes ?? 8 * 1024 * 1024;
  let lastActivity = Date.now();
  let released = true;
  let floor = v8.getHeapStatistics().total_heap_size;
  let elu = performance.eventLoopUtilization();
  let gc: (() => void) | undefined;
  /** A release under way: the size it started from, the size before its last collection, collections so far. */
  let settling: { from: number; last: number; rounds: number } | null = null;
  const collect = () => {
    gc ??= fullCollection();
    gc();
    // The collection's own time is not the thread getting busy again.
    elu = performance.eventLoopUtilization();
  };
  const timer = setInterval(
    () => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, elu).utilization > 0.05;
      elu = now;
      if (busy) lastActivity = Date.now();
      const size = v8.getHeapStatistics().total_heap_size;
      floor = Math.min(floor, size);
      const quiet = Date.now() - lastActivity >= quietMs;
      if (settling) {
        // Work came back: the release stops, and the next quiet spell starts another if the heap has grown.
        if (!quiet) {
          settling = null;
          released = false;
          return;
        }
        const gave = settling.last - size;
        if (settling.rounds < MIN_ROUNDS || (gave >= SETTLED_BYTES && settling.rounds < MAX_ROUNDS)) {
          settling.last = size;
          settling.rounds++;
          collect();
          return;
        }
        opts.onRelease?.(settling.from, size, settling.rounds);
        floor = size;
        settling = null;
        return;
      }
      if (released || !quiet) return;
      released = true;
      if (size - floor < growth) return;
      settling = { from: size, last: size, rounds: 1 };
      collect();
    },
    Math.min(opts.checkMs ?? 1_000, quietMs),
  );
  timer.unref();
  return {
    activity() {
      lastActivity = Date.now();
      released = false;
    },
    stop: () => clearInterval(timer),
  };
}

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The `onRelease` both threads use: one debug line per release, with the heap before and after it in MiB. */
export function logReleases(log: Pick<Logger, 'debug'>, message: string): NonNullable<HeapReleaseOptions['onRelease']> {
  return (before, after, collections) =>
    log.debug({ heapBeforeMiB: mib(before), heapAfterMiB: mib(after), collections }, message);
}
