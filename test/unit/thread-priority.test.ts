import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const MODULE = new URL('../../bot/src/thread-priority.ts', import.meta.url).href;
const TSX = import.meta.resolve('tsx/esm/api');

/** Runs lowerThreadPriority() on a thread of its own, as worker-thread.ts does, and reads both threads back. */
function onAThread(): Promise<{ lowered: boolean; tid: number; nice: number }> {
  const code = `
    const { parentPort } = await import('node:worker_threads');
    const { readlinkSync } = await import('node:fs');
    const { getPriority } = await import('node:os');
    (await import(${JSON.stringify(TSX)})).register();
    const { lowerThreadPriority } = await import(${JSON.stringify(MODULE)});
    const lowered = lowerThreadPriority();
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    parentPort.postMessage({ lowered, tid, nice: getPriority(tid) });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(`(async () => { ${code} })().catch((e) => { throw e; });`, { eval: true });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe.runIf(existsSync('/proc/thread-self'))('the job worker thread’s CPU priority (Linux)', () => {
  it('is lowered for the calling thread alone: the server’s thread keeps its own', async () => {
    const before = getPriority();
    const t = await onAThread();
    expect(t.lowered).toBe(true);
    expect(t.nice).toBeGreaterThanOrEqual(10);
    expect(t.tid).not.toBe(process.pid);
    // getPriority() with no pid reads this process's main thread, where the HTTP server runs.
    expect(getPriority()).toBe(before);
  });
});
