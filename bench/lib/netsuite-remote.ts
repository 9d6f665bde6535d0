import { Worker } from 'node:worker_threads';

export interface RemoteStats {
  meanInFlight: number;
  maxInFlight: number;
  requests: number;
  rejected429: number;
  rejected401: number;
}

export interface RemoteNetSuite {
  url: string;
  accountId: string;
  m2m: { clientId: string; certificateId: string; privateKeyPem: string };
  setLatency(ms: number): Promise<void>;
  startSampling(): Promise<void>;
  stopSampling(): Promise<RemoteStats>;
  close(): Promise<void>;
}

/** Starts the NetSuite emulator in a worker thread (see netsuite-thread.ts) and talks to it by message. */
export async function startRemoteNetSuite(concurrencyLimit: number): Promise<RemoteNetSuite> {
  const entry = new URL('./netsuite-thread.ts', import.meta.url).href;
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry, concurrencyLimit } });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const ready = (await next()) as { url: string; accountId: string } & RemoteNetSuite['m2m'];
  const ask = async (msg: object) => {
    const answer = next();
    worker.postMessage(msg);
    return answer;
  };
  return {
    url: ready.url,
    accountId: ready.accountId,
    m2m: { clientId: ready.clientId, certificateId: ready.certificateId, privateKeyPem: ready.privateKeyPem },
    setLatency: async (ms) => void (await ask({ type: 'latency', ms })),
    startSampling: async () => void (await ask({ type: 'start' })),
    stopSampling: async () => (await ask({ type: 'stop' })) as unknown as RemoteStats,
    close: async () => {
      worker.postMessage({ type: 'close' });
      await new Promise((r) => worker.once('exit', r));
    },
  };
}
