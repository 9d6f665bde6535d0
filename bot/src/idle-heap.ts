import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

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

const ROUNDS = 4;
const SETTLED_BYTES = 1024 * 1024;

/**
 * Full collections until one gives back less than a MiB (at most four). One alone leaves much of a burst's heap
 * committed: the live objects are spread over many pages and a collection compacts only some of them. A second and
 * third move the rest (a heap of 210 MiB with a twentieth of it live: 150 MiB after one, 56 after two, 43 after
 * three). V8 does the same when the embedder reports low memory; Node does not expose that call.
 */
function collectUntilSettled(gc: () => void, size: number): number {
  let last = size;
  for (let i = 0; i < ROUNDS; i++) {
    gc();
    const now = v8.getHeapStatistics().total_heap_size;
    if (last - now < SETTLED_BYTES) return now;
    last = now;
  }
  return last;
}

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
  onRelease?: (heapBefore: number, heapAfter: number) => void;
}

/**
 * Gives back the heap a burst left behind, once the thread has been quiet for a while. A burst grows V8's heap to
 * its high-water mark (the job worker's old generation: 48 → 147 MiB for 300 emails, 42 MiB of it live; its young
 * generation to 16 MiB), and V8 keeps it: its memory reducer did not shrink either thread's heap in 20 quiet
 * seconds. How much of the heap is garbage cannot be read without a collection (V8 counts dead objects as used
 * until one runs), so the trigger is growth: collections once per quiet spell after the heap grew by `growthBytes`
 * return the free pages (tens of milliseconds, never during a burst). Nothing is capped: a large
 * email still gets all the heap it needs.
 */
export function releaseHeapWhenQuiet(opts: HeapReleaseOptions = {}): HeapRelease {
  const quietMs = opts.quietMs ?? 3_000;
  const growth = opts.growthBytes ?? 8 * 1024 * 1024;
  let lastActivity = Date.now();
  let released = true;
  let floor = v8.getHeapStatistics().total_heap_size;
  let elu = performance.eventLoopUtilization();
  let gc: (() => void) | undefined;
  const timer = setInterval(
    () => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, elu).utilization > 0.05;
      elu = now;
      if (busy) lastActivity = Date.now();
      const before = v8.getHeapStatistics().total_heap_size;
      floor = Math.min(floor, before);
      if (released || Date.now() - lastActivity < quietMs) return;
      released = true;
      if (before - floor < growth) return;
      gc ??= fullCollection();
      floor = collectUntilSettled(gc, before);
      opts.onRelease?.(before, floor);
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
