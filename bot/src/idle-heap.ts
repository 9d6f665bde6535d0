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

export interface HeapRelease {
  /** Work arrived (a nudge, a job enqueued): the thread is busy again. */
  activity(): void;
  stop(): void;
}

export interface HeapReleaseOptions {
  /** How long the thread must be quiet: no activity, and its event loop busy under 5 % of the time. */
  quietMs?: number;
  checkMs?: number;
  /** Collect only if the heap holds at least this much more than its live objects. */
  slackBytes?: number;
  onRelease?: (heapBefore: number, heapAfter: number) => void;
}

/**
 * Gives back the heap a burst left behind, once the thread has been quiet for a while. A burst grows V8's heap to
 * its high-water mark (the job worker's old generation: 48 → 147 MiB for 300 emails, 42 MiB of it live), and V8
 * keeps it: its memory reducer did not shrink the worker thread's heap in 20 quiet seconds. One full collection per
 * quiet spell returns the free pages (tens of milliseconds, on the worker's thread, never during a burst). Nothing
 * is capped: a large email still gets all the heap it needs.
 */
export function releaseHeapWhenQuiet(opts: HeapReleaseOptions = {}): HeapRelease {
  const quietMs = opts.quietMs ?? 3_000;
  const slack = opts.slackBytes ?? 32 * 1024 * 1024;
  let lastActivity = Date.now();
  let released = true;
  let elu = performance.eventLoopUtilization();
  let gc: (() => void) | undefined;
  const timer = setInterval(
    () => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, elu).utilization > 0.05;
      elu = now;
      if (busy) lastActivity = Date.now();
      if (released || Date.now() - lastActivity < quietMs) return;
      released = true;
      const before = v8.getHeapStatistics();
      if (before.total_heap_size - before.used_heap_size < slack) return;
      gc ??= fullCollection();
      gc();
      opts.onRelease?.(before.total_heap_size, v8.getHeapStatistics().total_heap_size);
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
