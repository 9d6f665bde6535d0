import { parentPort, workerData } from 'node:worker_threads';
import { sandboxNetSuiteCredentials, startNetSuiteEmulator } from '../../bot/src/sandbox/netsuite-emulator/index.js';
import { netsuiteSeed } from '../../bot/src/sandbox/netsuite-seed.js';

// The NetSuite emulator in its own thread: Mailroom's event loop (busy with governor transactions) must not slow
// the emulator's answers, or the in-flight count would measure Mailroom's stalls instead of NetSuite's latency.
const { concurrencyLimit } = workerData as { concurrencyLimit: number };
const creds = sandboxNetSuiteCredentials();
const emu = await startNetSuiteEmulator({
  host: '127.0.0.1',
  accountId: creds.accountId,
  m2m: { clientId: creds.m2m.clientId, certificateId: creds.m2m.certificateId, publicKeyPem: creds.m2m.publicKeyPem },
  concurrencyLimit,
  seed: netsuiteSeed(),
});
const c = emu.state.counters;
let sampling: {
  samples: number[];
  timer: NodeJS.Timeout;
  base: { requests: number; r429: number; r401: number };
} | null = null;

parentPort?.on('message', async (m: { type: string; ms?: number }) => {
  if (m.type === 'latency') {
    emu.setLatency(m.ms ?? 0);
    parentPort?.postMessage({ type: 'ok' });
  } else if (m.type === 'start') {
    c.maxInFlight = c.inFlight;
    const samples: number[] = [];
    sampling = {
      samples,
      timer: setInterval(() => samples.push(c.inFlight), 5),
      base: { requests: c.requests, r429: c.rejected429, r401: c.rejected401 },
    };
    parentPort?.postMessage({ type: 'ok' });
  } else if (m.type === 'stop' && sampling) {
    clearInterval(sampling.timer);
    const s = sampling.samples;
    parentPort?.postMessage({
      type: 'stats',
      meanInFlight: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
      maxInFlight: c.maxInFlight,
      requests: c.requests - sampling.base.requests,
      rejected429: c.rejected429 - sampling.base.r429,
      rejected401: c.rejected401 - sampling.base.r401,
    });
    sampling = null;
  } else if (m.type === 'close') {
    await emu.close();
    parentPort?.close();
  }
});
parentPort?.postMessage({
  type: 'ready',
  url: emu.url,
  accountId: creds.accountId,
  clientId: creds.m2m.clientId,
  certificateId: creds.m2m.certificateId,
  privateKeyPem: creds.m2m.privateKeyPem,
});
