import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openLoop } from './lib/open-loop.js';
import { type Bench, type BenchResult, type Row, verdict } from './lib/result.js';
import { postNotification, type Rig, startRig } from './lib/rig.js';
import { token } from './lib/services-protocol.js';
import { ms, pct, quantile } from './lib/stats.js';

/** Issue 14's bounds on the p99 at each rate; rates without one are held against Graph's 3 s only. */
const P99_BOUND: Record<string, number> = { 'SQLite 500': 20, 'PostgreSQL 500': 20, 'PostgreSQL 2000': 100 };
/** Graph wants a 2xx within 3 s, and throttles an endpoint when over 10 % of answers take longer than 2.9 s. */
const GRAPH_ACK_MS = 3_000;
const GRAPH_SLOW_MS = 2_900;
const WARMUP = 100;

async function bodiesFor(rig: Rig, n: number): Promise<string[]> {
  const run = randomBytes(4).toString('hex');
  return rig.services.deliver(
    Array.from({ length: n }, (_, i) => ({ subject: `Ack ${token(run, i)}`, from: 'ana@fabrikam.com' })),
  );
}

/** The median of `n` acks sent one at a time, back to back, on a fresh rig with the given worker mode. */
async function serialMedian(engine: { postgresUrl?: string }, workerMode: string, n: number): Promise<number> {
  const rig = await startRig({
    teamsWindows: [],
    pacingOff: true,
    env: { WORKER_MODE: workerMode },
    ...(engine.postgresUrl ? { postgresUrl: engine.postgresUrl } : {}),
  });
  try {
    const serial: number[] = [];
    for (const body of await bodiesFor(rig, n)) {
      const t = performance.now();
      await postNotification(rig, body);
      serial.push(performance.now() - t);
    }
    return quantile(serial.slice(n / 2), 0.5);
  } finally {
    await rig.close();
  }
}

/**
 * Connections the kernel dropped because a listening socket's accept queue was full, machine-wide (TcpExt
 * ListenOverflows in /proc/net/netstat; benchmarks run one at a time, so these are Mailroom's). Each one costs its
 * sender a retry 1 s later, then 3 s. NaN where /proc is not Linux's.
 */
function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
    const names = lines[i]?.split(' ') ?? [];
    const values = lines[i + 1]?.split(' ') ?? [];
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return Number.NaN;
  }
}

/**
 * How long Mailroom's server thread (the one that answers Graph) has run, and waited ready to run with no core free,
 * in ms (/proc/<pid>/task/<pid>/schedstat). On a shared machine the wait is what other processes cost the ack.
 */
function serverThreadSched(pid: number): { runMs: number; waitMs: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { runMs: (run ?? Number.NaN) / 1e6, waitMs: (wait ?? Number.NaN) / 1e6 };
  } catch {
    return { runMs: Number.NaN, waitMs: Number.NaN };
  }
}

async function storedEmails(rig: Rig): Promise<number> {
  const r = await rig.db.kysely
    .selectFrom('emails')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function storedIngestJobs(rig: Rig): Promise<number> {
  const r = await rig.db.kysely
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'mail.ingest')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Issues 5 and 14: how fast POST /api/graph/notifications answers 202 (each notification checked against its
 * subscription's clientState and stored as an ingest job before the answer) at a steady open-loop rate, with
 * Mailroom alone in its process and its worker ingesting and posting cards meanwhile.
 */
export const ackLatency: Bench = {
  name: 'ack',
  async run(ctx): Promise<BenchResult> {
    const seconds = ctx.quick ? 2 : 10;
    const rows: Row[] = [];
    const notes: string[] = [];
    const engines: Array<{ label: 'SQLite' | 'PostgreSQL'; postgresUrl?: string; rates: number[] }> = [
      { label: 'SQLite', rates: [50, 200, 500] },
    ];
    if (ctx.postgresUrl)
      engines.push({ label: 'PostgreSQL', postgresUrl: ctx.postgresUrl, rates: [50, 200, 500, 2000] });
    else notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL.');
    // BENCH_ACK_RATES="SQLite 500,PostgreSQL 2000" runs only those (A/B runs on a shared machine); default all.
    const only = process.env.BENCH_ACK_RATES?.split(',').map((s) => s.trim());
    for (const engine of engines)
      for (const rate of engine.rates.filter((r) => !only || only.includes(`${engine.label} ${r}`))) {
        // Teams pacing off and no limits at the connector: the worker never idles waiting for a send slot, so the
        // acknowledgement competes with all of Mailroom's own work.
        const rig = await startRig({
          teamsWindows: [],
          pacingOff: true,
          ...(engine.postgresUrl ? { postgresUrl: engine.postgresUrl } : {}),
        });
        try {
          const n = rate * seconds;
          const bodies = await bodiesFor(rig, n + WARMUP);
          const serial: number[] = [];
          for (const body of bodies.slice(0, WARMUP)) {
            const t = performance.now();
            await postNotification(rig, body);
            serial.push(performance.now() - t);
          }
          ctx.log(`  ack ${engine.label}: ${n} notifications at ${rate}/s for ${seconds} s`);
          const emails0 = await storedEmails(rig);
          const cpu0 = rig.mailroom.sample().cpuMs;
          const sched0 = serverThreadSched(rig.mailroom.pid);
          const drops0 = listenOverflows();
          const sent = await openLoop(`${rig.url}/api/graph/notifications`, bodies.slice(WARMUP), rate);
          const cpuMs = rig.mailroom.sample().cpuMs - cpu0;
          const carded = (await storedEmails(rig)) - emails0;
          const drops = listenOverflows() - drops0;
          const sched1 = serverThreadSched(rig.mailroom.pid);
          const lat = sent.map((s) => s.latencyMs);
          const p99 = quantile(lat, 0.99);
          const slow = lat.filter((l) => l > GRAPH_SLOW_MS).length / lat.length;
          const not202 = sent.filter((s) => s.status !== 202).length;
          if (rate === engine.rates[0]) {
            const service = quantile(serial.slice(WARMUP / 2), 0.5);
            rows.push({
              metric: `${engine.label}: one at a time, back to back (median), worker on its own thread`,
              value: ms(service),
              compare: `capacity ≈ ${Math.round(1000 / service)}/s in series; the worker ingests each meanwhile`,
            });
            // The finding of issue 14: the same acks with the worker on the server's event loop, as before.
            const inline = await serialMedian(engine, 'inline', WARMUP);
            rows.push({
              metric: `${engine.label}: the same with WORKER_MODE=inline (the worker on the server's event loop)`,
              value: ms(inline),
              compare: `${(inline / service).toFixed(1)}× the time: a lone ack waited behind its own ingest job`,
            });
          }
          const bound = P99_BOUND[`${engine.label} ${rate}`];
          rows.push({
            metric: `${engine.label} ${rate}/s: p50 / p99 / max`,
            value: `${ms(quantile(lat, 0.5))} / ${ms(p99)} / ${ms(Math.max(...lat))}`,
            compare:
              bound === undefined
                ? verdict(p99 < GRAPH_ACK_MS, `p99 ${p99 < GRAPH_ACK_MS ? 'under' : 'over'} Graph's 3 s`)
                : verdict(p99 < bound, `goal p99 < ${bound} ms`),
          });
          rows.push({
            metric: `${engine.label} ${rate}/s: answers over 2.9 s; not 202`,
            value: `${pct(slow)}; ${not202} of ${n}`,
            compare: verdict(slow === 0 && not202 === 0, 'goal 0 % (Graph throttles above 10 %)'),
          });
          rows.push({
            metric: `${engine.label} ${rate}/s: Mailroom's CPU while under load`,
            value: `${((cpuMs / (seconds * 1000)) * 100).toFixed(0)} % of one core`,
            compare: `${(cpuMs / n).toFixed(2)} ms per notification, its ingest and card work included`,
          });
          rows.push({
            metric: `${engine.label} ${rate}/s: emails the worker stored meanwhile`,
            value: `${carded} of ${n}`,
            compare:
              'the rest follow the run; over 300 notifications a second it runs 4 jobs at once, after a second 1',
          });
          rows.push({
            metric: `${engine.label} ${rate}/s: its server thread ran; waited for a core; connections dropped`,
            value: `${ms(sched1.runMs - sched0.runMs)}; ${ms(sched1.waitMs - sched0.waitMs)}; ${drops}`,
            compare: 'over the run (/proc schedstat: ready, no core free); accept queue full (ListenOverflows)',
          });
          const stored = await storedIngestJobs(rig);
          if (stored < n + WARMUP)
            notes.push(`${engine.label} ${rate}/s: only ${stored} of ${n + WARMUP} ingest jobs stored.`);
          const lag = quantile(
            sent.map((s) => s.sentLagMs),
            0.99,
          );
          if (lag > 5)
            notes.push(
              `${engine.label} ${rate}/s: the generator itself sent late by up to ${ms(lag)} (p99), counted in.`,
            );
        } finally {
          await rig.close();
        }
      }
    notes.push(
      'Where the tail came from (issue 14: `--only trace`, and a CPU profile of Mailroom at 500/s): on SQLite the ' +
        'server thread’s INSERT waited for the worker thread’s write lock inside SQLite’s busy handler, which ' +
        'sleeps in steps of up to 100 ms with the event loop stopped, and ran a WAL checkpoint whenever its commit ' +
        'crossed the threshold. The intake now commits through a connection of its own with no busy timeout (a ' +
        'locked INSERT is tried again a few ms later while requests keep being read) and no checkpoints ' +
        '(store/intake-db.ts); on PostgreSQL through a pool of its own. On both engines the worker thread took the ' +
        'cores from the server thread: it now runs at a lower priority (nice 10). One blocking log write per ' +
        'request was about an eighth of the server thread’s CPU: lines are now written asynchronously. Node’s 5 s ' +
        'keep-alive timeout raced the client reusing a connection (a reset instead of a 202): it is now 65 s.',
    );
    notes.push(
      'PostgreSQL’s tail (measured on the shared 2-core machine with probes in Mailroom’s process and ' +
        'pg_stat_activity sampled every 20 ms): at 2,000/s the generator, like Graph, opens a connection when its ' +
        'open ones are busy, and with node’s default listen backlog of 511 the kernel dropped 360 to 1,508 of them ' +
        'per run whenever the server thread was held for a quarter of a second; the client tried each again 1 s, ' +
        'then 3 s later, hence answers of 1 to 4 s and the spread between runs. The backlog is now 4,096, and the ' +
        'row above counts drops. In PostgreSQL the intake’s INSERT waits only for WAL flushes, its own (WALSync) or ' +
        'another backend’s (WALWrite, 10 to 40 % of its samples), never for a lock: the worker’s leasing UPDATEs do ' +
        'not block it. What is left is the server thread waiting for a core (row above): with the worker on, it ' +
        'waited about as long as it ran, and in the one window quiet enough to tell, p99 at 500/s was 55 ms with ' +
        'the worker and 18 ms with WORKER_MODE=off. Besides the worker’s own thread (nice 10), the PostgreSQL ' +
        'backends serving it (nice 0) used 2 to 3 s of CPU per 10 s at 500/s against the intake’s 0.5 to 0.8 s, much ' +
        'of it in the lease, whose pick sorted every due job by kind and run_at (8 to 16 ms with 5,200 queued, about ' +
        '300 leases per 10 s). The lease now reads each kind’s oldest jobs through jobs_kind_due_ix (migration 012) ' +
        'and sorts only those: 0.24 ms in EXPLAIN ANALYZE at the same backlog. Gone: concurrent subscription-cache ' +
        'misses each ran a SELECT (118 at once when an entry ran out mid-run), and the mailbox health stamp was one ' +
        'more commit before a batch’s 202.',
    );
    notes.push(
      'What the worker still cost the ack (2026-12-08, A/B runs of 10 s at 500/s on PostgreSQL, CPU of every process ' +
        'from /proc): Mailroom 10 s of CPU, the PostgreSQL backends 5.2 s (1.3 s with the worker off, and p99 8 ms), the ' +
        'generator 1.7 s, the emulators 0.9 s. The worker’s lower priority does not reach its statements in ' +
        'PostgreSQL. In pg_stat_statements PostgreSQL spent longer planning them than running them (1.4 s against ' +
        '1.1 s; Kysely sends each query unnamed); named prepared statements cut the backends’ CPU by a quarter, ' +
        'but the worker then did more work in the same time and the p99 did not move, so they are not used. ' +
        'Now, once notifications arrive at over 300 a second for a second (bot/src/intake-flood.ts), the worker ' +
        'runs one job at a time until they ease: p99 12 and 14 ms against 90 and 32 ms in two pairs, with 528 and ' +
        '373 emails stored during the 10 s against 929 and 824 (row above). At 2,000/s that came too late.',
    );
    notes.push(
      'The first second at 2,000/s (2026-12-08, Mailroom traced per request, per accepted connection and per 20 ms ' +
        'of /proc and pg_stat_activity): every answer over 300 ms came from a request sent in the run’s first second, ' +
        'on a connection the generator had just opened, and Mailroom took at most 53 ms from reading such a request ' +
        'to its 202. The rest was the wait to be accepted. Since libuv 1.45 (Node 20 has 1.46) a server accepts one ' +
        'connection per turn of its event loop (https://github.com/libuv/libuv/pull/3696), and a loaded turn takes ' +
        'milliseconds. So a hiccup of 20 ms, with every open connection busy, makes the client open dozens more; ' +
        'they are accepted one per turn while more requests arrive, each on a new connection again. It ends only ' +
        'once enough connections are open, after 0.2 to 2 s. The hiccup was the worker meeting a sudden backlog ' +
        'at its full 16 jobs before a flood could be told apart from a burst: with the worker at 4 from the first ' +
        'notification, none of 8 runs had a p99 over 100 ms (16 to 44 ms), against 3 of 8 (up to 366 ms). The ' +
        'worker now drops to 4 jobs at once the moment notifications pass 300 a second (a surge), and to 1 after a ' +
        'second of it. In 10 interleaved pairs at 2,000/s the p99 was 15 to 46 ms (median 20) against 19 to 56 ' +
        '(median 34), and in 6 pairs at 500/s 9 to 13 ms against 10 to 21. A burst of 300 is a surge too: in the ' +
        'throughput benchmark its cards came at 336 a second against 364. Log lines are now written in blocks of ' +
        '4 KB (bot/src/log.ts): 10 to 12 µs less CPU per request’s line.',
    );
    return {
      name: 'ack',
      title: 'Graph notification acknowledgement latency (issues 5 and 14)',
      method:
        `Mailroom alone in its own process (dist/bot/main.js as npm start runs it, production settings, LOG_LEVEL=info to a file), the ` +
        `emulators and the Bot Connector stand-in in a second, this load generator in a third. Open-loop load (a ` +
        `worker thread sends on schedule, never waiting for answers) of one change notification per request, ` +
        `valid clientState, for ${seconds} s per rate; latency from the scheduled send to the end of the 202, which ` +
        `is sent only after the ingest job is committed. A fresh database per rate (file-backed SQLite in WAL mode, ` +
        `or a PostgreSQL schema); Mailroom's worker ingests from the Graph emulator and posts cards meanwhile, Teams ` +
        `pacing off. ${WARMUP} warm-up requests, sent one at a time, are left out; an answer later than 10 s counts ` +
        `as not 202. CPU from /proc/<pid>/stat of Mailroom's process (both its threads). The worker runs on a thread ` +
        `of its own (WORKER_MODE=thread, the default); one row per engine repeats the serial acks with it inline.`,
      rows,
      notes,
    };
  },
};
