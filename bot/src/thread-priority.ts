import { readlinkSync } from 'node:fs';
import { constants, getPriority, setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread (Linux: a thread has its own nice value, set through its thread
 * id). The job worker's thread calls it, so when the cores are busy the server's thread, which answers Graph's
 * notifications within milliseconds, runs first, and the worker takes the time left over. Elsewhere, or if the
 * system refuses, the thread keeps its priority; returns whether it was lowered.
 * https://man7.org/linux/man-pages/man7/sched.7.html ("The nice value is a per-thread attribute")
 */
export function lowerThreadPriority(priority = constants.priority.PRIORITY_BELOW_NORMAL): boolean {
  let tid: number;
  try {
    // /proc/thread-self → "<pid>/task/<tid>"
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(tid) || tid <= 0) return false;
  try {
    // Never raised: a process started with a higher nice value keeps it.
    if (getPriority(tid) < priority) setPriority(tid, priority);
    return true;
  } catch {
    return false;
  }
}
