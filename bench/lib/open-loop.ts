import { Worker } from 'node:worker_threads';

export interface Sent {
  /** From the scheduled send time to the end of the answer. */
  latencyMs: number;
  /** How late the generator itself sent it. */
  sentLagMs: number;
  /** 0 when the connection failed. */
  status: number;
}

/** Sends `bodies` to `url` at `rate` per second from a worker thread, open loop, and returns one result each. */
export function openLoop(url: string, bodies: string[], rate: number): Promise<Sent[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./open-loop.mjs', import.meta.url), { workerData: { url, bodies, rate } });
    worker.once('message', (results: Sent[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
