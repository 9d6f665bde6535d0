import { openLoop } from './lib/open-loop.js';
import { type Bench, type BenchResult, type Row, verdict } from './lib/result.js';
import { MAILBOX, postNotification, startRig } from './lib/rig.js';
import { ms, pct, quantile } from './lib/stats.js';

const RATES = [50, 200, 500];
/** Graph wants a 2xx within 3 s, and throttles an endpoint when over 10 % of answers take longer than 2.9 s. */
const GRAPH_ACK_MS = 3_000;
const GRAPH_SLOW_MS = 2_900;

/**
 * Issue 5: how fast POST /api/graph/notifications answers 202 (each notification checked against its
 * subscription's clientState and stored as an ingest job before the answer) at a steady open-loop rate.
 */
export const ackLatency: Bench = {
  name: 'ack',
  async run(ctx): Promise<BenchResult> {
    const seconds = ctx.quick ? 2 : 10;
    const rows: Row[] = [];
    const notes: string[] = [];
    const failedRates: string[] = [];
    const engines: Array<{ label: string; postgresUrl?: string }> = [{ label: 'SQLite' }];
    if (ctx.postgresUrl) engines.push({ label: 'PostgreSQL', postgresUrl: ctx.postgresUrl });
    else notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL.');
    for (const engine of engines)
      for (const rate of RATES) {
        const rig = await startRig({
          teamsWindows: [],
          ...(engine.postgresUrl ? { postgresUrl: engine.postgresUrl } : {}),
        });
        try {
          // The worker ingests and posts cards while the endpoint is under load, with Teams pacing off so it never
          // sits idle waiting for a send slot: the acknowledgement competes with all of Mailroom's own work.
          rig.mailroom.pacer.take = async () => undefined;
          const n = rate * seconds;
          const warmup = 100;
          const bodies: string[] = [];
          for (let i = 0; i < n + warmup; i++) {
            const copy = rig.deliverQuietly({ to: [MAILBOX], from: 'ana@fabrikam.com', subject: `ack ${rate}/${i}` });
            bodies.push(rig.notificationBody(copy));
          }
          const serial: number[] = [];
          for (const body of bodies.slice(0, warmup)) {
            const t = performance.now();
            await postNotification(rig, body);
            serial.push(performance.now() - t);
          }
          const service = quantile(serial.slice(warmup / 2), 0.5);
          ctx.log(`  ack ${engine.label}: ${n} notifications at ${rate}/s for ${seconds} s`);
          const sent = await openLoop(`${rig.url}/api/graph/notifications`, bodies.slice(warmup), rate);
          const lat = sent.map((s) => s.latencyMs);
          const p50 = quantile(lat, 0.5);
          const p99 = quantile(lat, 0.99);
          const slow = lat.filter((l) => l > GRAPH_SLOW_MS).length / lat.length;
          const not202 = sent.filter((s) => s.status !== 202).length;
          const stored = await rig.mailroom.db.kysely
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('kind', '=', 'mail.ingest')
            .executeTakeFirstOrThrow();
          if (rate === RATES[0]) {
            rows.push({
              metric: `${engine.label}: one at a time (median)`,
              value: ms(service),
              compare: `capacity ≈ ${Math.round(1000 / service)}/s in series`,
            });
          }
          if (p99 >= GRAPH_ACK_MS || slow > 0.1 || not202 > 0) failedRates.push(`${engine.label} ${rate}/s`);
          rows.push({
            metric: `${engine.label} ${rate}/s: p50 / p99 / max`,
            value: `${ms(p50)} / ${ms(p99)} / ${ms(Math.max(...lat))}`,
            compare: verdict(p99 < GRAPH_ACK_MS, `p99 ${p99 < GRAPH_ACK_MS ? 'under' : 'over'} Graph's 3 s`),
          });
          rows.push({
            metric: `${engine.label} ${rate}/s: answers over 2.9 s; not 202`,
            value: `${pct(slow)}; ${not202} of ${n}`,
            compare: verdict(slow <= 0.1 && not202 === 0, 'throttling starts above 10 % over 2.9 s'),
          });
          if (Number(stored.n) < n + warmup)
            notes.push(`${engine.label} ${rate}/s: only ${stored.n} of ${n + warmup} ingest jobs stored.`);
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
    if (failedRates.length > 0) {
      notes.push(
        `Where the bound is missed (${failedRates.join(', ')}), the endpoint is saturated rather than slow: one ` +
          'notification costs a subscription lookup and a transaction (job insert, mailbox update, commit) of its ' +
          'own, and on SQLite every statement queues for the one connection the worker also uses. Committing the ' +
          'notifications that arrive within a few milliseconds in one transaction (group commit) and, on SQLite, ' +
          '`PRAGMA synchronous = NORMAL` with WAL (durable across a process crash, not a power cut) are the levers; ' +
          'a 2-core machine shared with other work is also far from a production host.',
      );
    }
    return {
      name: 'ack',
      title: 'Graph notification acknowledgement latency (issue 5)',
      method:
        `Open-loop load (a worker thread sends on schedule, never waiting for answers) of one change notification ` +
        `per request, valid clientState, for ${seconds} s per rate; latency from the scheduled send to the end of the ` +
        `202, which is sent only after the ingest job is committed. File-backed SQLite (WAL); the job worker runs ` +
        `meanwhile, ingesting from the Graph emulator and posting cards. 100 warm-up requests are left out; an answer ` +
        `later than 10 s counts as not 202.`,
      rows,
      notes,
    };
  },
};
