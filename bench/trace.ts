import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { burst } from './lib/burst.js';
import { readSamples, type Share, summarize } from './lib/cpu-profile.js';
import type { Bench, BenchResult, Row } from './lib/result.js';
import { postNotification, type Rig, startRig } from './lib/rig.js';
import { token } from './lib/services-protocol.js';
import { settle } from './lib/settle.js';
import { ms } from './lib/stats.js';
import { type ClientTiming, traceAcks } from './lib/trace-analysis.js';
import type { TraceFile } from './lib/trace-types.js';

const TRACE = fileURLToPath(new URL('./lib/preload-trace.ts', import.meta.url));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function timedAcks(rig: Rig, bodies: string[], settleFirst: boolean): Promise<ClientTiming[]> {
  const out: ClientTiming[] = [];
  for (const body of bodies) {
    if (settleFirst) await settle(rig.db, 30_000);
    const sent = nowUs();
    const status = await postNotification(rig, body);
    if (status !== 202) throw new Error(`a notification answered ${status}`);
    out.push({ sent, answered: nowUs() });
  }
  return out;
}

const shares = (xs: Share[], n: number) =>
  xs
    .slice(0, n)
    .map((x) => `${x.name} ${(x.share * 100).toFixed(0)} %`)
    .join(', ');

/**
 * Issue 14: where a lone acknowledgement's time goes, from the socket to the 202, and where a burst's CPU goes.
 * Mailroom runs alone in its process under --cpu-prof with a bench-only trace preload (lib/preload-trace.ts).
 */
export const trace: Bench = {
  name: 'trace',
  async run(ctx): Promise<BenchResult> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const details: string[] = [];
    const n = ctx.quick ? 20 : 60;
    const burstSize = ctx.quick ? 60 : 300;
    const engines: Array<{ label: string; postgresUrl?: string }> = [{ label: 'SQLite' }];
    if (ctx.postgresUrl) engines.push({ label: 'PostgreSQL', postgresUrl: ctx.postgresUrl });
    for (const engine of engines) {
      const scratch = join(process.env.TMPDIR ?? '/tmp', `mailroom-trace-${process.pid}-${engine.label}`);
      const profDir = join(scratch, 'prof');
      mkdirSync(profDir, { recursive: true });
      const traceFile = join(scratch, 'trace.json');
      const rig = await startRig({
        teamsWindows: [],
        pacingOff: true,
        cpuProf: { dir: profDir, intervalUs: 250 },
        preload: [TRACE],
        env: { BENCH_TRACE_FILE: traceFile },
        ...(engine.postgresUrl ? { postgresUrl: engine.postgresUrl } : {}),
      });
      let alone: ClientTiming[];
      let backToBack: ClientTiming[];
      let window: [number, number];
      let burstNote = '';
      try {
        const run = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
        const bodies = await rig.services.deliver(
          Array.from({ length: 20 + 2 * n }, (_, i) => ({
            subject: `Trace ${token(run, i)}`,
            from: 'ana@fabrikam.com',
          })),
        );
        ctx.log(`  trace ${engine.label}: ${n} acks alone, ${n} back to back, then a burst of ${burstSize}`);
        await timedAcks(rig, bodies.slice(0, 20), false);
        alone = await timedAcks(rig, bodies.slice(20, 20 + n), true);
        backToBack = await timedAcks(rig, bodies.slice(20 + n), false);
        await settle(rig.db, 60_000);
        const t0 = nowUs();
        const b = await burst(rig, { threads: burstSize, repliesIn: 0, replies: 0 });
        window = [t0, t0 + b.lastMs * 1000];
        burstNote = `${burstSize} emails, last card after ${(b.lastMs / 1000).toFixed(1)} s`;
      } finally {
        // Mailroom writes its profile and the trace as it exits.
        await rig.close();
      }
      const samples = readSamples(profDir);
      const file = JSON.parse(readFileSync(traceFile, 'utf8')) as TraceFile;
      if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
      for (const [label, acks] of [
        ['alone (worker idle)', alone],
        ['back to back (worker busy with the previous ones)', backToBack],
      ] as const) {
        const t = traceAcks(acks, file, samples);
        for (const p of t.phases) {
          rows.push({
            metric: `${engine.label}, ${label}: ${p.name}`,
            value: `${ms(p.p50)} / ${ms(p.p90)}`,
            compare: 'p50 / p90',
          });
        }
        rows.push({
          metric: `${engine.label}, ${label}: statements of its own; of the worker meanwhile; log writes`,
          value: `${t.ownSql.n} in ${ms(t.ownSql.ms)}; ${t.otherSql.n} in ${ms(t.otherSql.ms)}; ${ms(t.logMs)}`,
          compare: `medians per ack over ${t.count} acks`,
        });
        rows.push({
          metric: `${engine.label}, ${label}: what Mailroom's process ran from send to 202`,
          value: `${ms(t.during.busyMs / Math.max(1, t.count))} of CPU per ack`,
          compare: shares(t.during.owners, 5),
        });
      }
      const hot = summarize(samples, [window], 15);
      rows.push({
        metric: `${engine.label}, burst (${burstNote}): CPU by owner`,
        value: `${(hot.busyMs / 1000).toFixed(1)} s sampled`,
        compare: shares(hot.owners, 6),
      });
      details.push(
        `${engine.label}, top frames (self time) of Mailroom's process during the burst:`,
        hot.frames.map((f) => `${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`).join('\n'),
        `${engine.label}, the same time by owner (the package or Mailroom file nearest the top of the stack):`,
        hot.owners.map((f) => `${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`).join('\n'),
      );
    }
    notes.push(
      'Phases are measured on the monotonic clock both processes share: the send and the answer by the generator, ' +
        'the rest inside Mailroom (Node’s http.server.request.start and response.finish diagnostics channels, and ' +
        'the IntakeCommitter’s commit). The owner of a CPU sample is the package or Mailroom file nearest the top ' +
        'of its stack ("node internals" when none is: sockets, streams, timers).',
    );
    return {
      name: 'trace',
      title: 'Where an acknowledgement’s time and a burst’s CPU go (issue 14)',
      method:
        'Mailroom alone in its process under `--cpu-prof` (250 µs sampling) with a bench-only preload that traces ' +
        'each notification request and every SQL statement and log write (bench/lib/preload-trace.ts). Acks are ' +
        'sent one at a time: "alone" waits until the previous email’s jobs are all done, "back to back" sends the ' +
        'next as soon as the previous 202 arrives, while the worker still ingests and posts the earlier ones. Then ' +
        'a burst with Teams pacing off, as in the throughput benchmark.',
      rows,
      notes,
      details,
    };
  },
};
