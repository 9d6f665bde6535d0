// An open-loop load generator, run in a worker thread so its event loop never waits on Mailroom's: request i is
// sent at start + i / rate whether or not earlier ones have been answered (no coordinated omission). Latency is
// counted from the scheduled send time, so any lag of the generator itself counts against Mailroom, not for it.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { url, bodies, rate } = workerData;
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const results = new Array(bodies.length);
let next = 0;
let done = 0;
const t0 = performance.now() + 20;

function fire(i) {
  const scheduled = t0 + (i * 1000) / rate;
  const sentLag = performance.now() - scheduled;
  const body = bodies[i];
  const req = request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      res.resume();
      res.on('end', () => finish(i, scheduled, sentLag, res.statusCode ?? 0));
    },
  );
  // Bounds the run when Mailroom falls far behind: Graph itself gives up after 3 s, so an answer later than 10 s
  // tells nothing more and counts as status 0.
  req.setTimeout(10_000, () => req.destroy());
  req.on('error', () => finish(i, scheduled, sentLag, 0));
  req.end(body);
}

function finish(i, scheduled, sentLag, status) {
  if (results[i]) return;
  results[i] = { latencyMs: performance.now() - scheduled, sentLagMs: sentLag, status };
  done++;
  if (done === bodies.length) {
    agent.destroy();
    parentPort.postMessage(results);
  }
}

function tick() {
  const now = performance.now();
  while (next < bodies.length && t0 + (next * 1000) / rate <= now) fire(next++);
  if (next < bodies.length) setTimeout(tick, 1);
}
setTimeout(tick, 20);
