import { cpus, loadavg } from 'node:os';
import { TEAMS_THREAD_WINDOWS } from '../bot/src/jobs/pacer.js';
import { burst } from './lib/burst.js';
import type { Bench, BenchResult, Row } from './lib/result.js';
import { verdict } from './lib/result.js';
import { startRig } from './lib/rig.js';
import { settle } from './lib/settle.js';
import { maxInWindow, mib, ms, pct, perSec, quantile, sleep } from './lib/stats.js';

const CAPACITY_GOAL = 200;
const CARD_P99_GOAL_MS = 1_000;
/** Issue 14's bound is 300 MB: 300,000,000 bytes (286 MiB), not 300 MiB. */
const RSS_GOAL = 300_000_000;
/** Idle seconds after the last job before RSS counts as steady. */
const STEADY_SECONDS = 15;

/**
 * Issues 5 and 14: emails per second end to end, the share of Teams' per-thread budget Mailroom uses and the 429s
 * it causes, and Mailroom's own memory and CPU per email, read from its process.
 */
export const throughput: Bench = {
  name: 'throughput',
  async run(ctx): Promise<BenchResult> {
    const rows: Row[] = [];
    const notes: string[] = [];

    // 1. One channel, Teams' limits enforced by the connector, Mailroom pacing as in production.
    const threads = ctx.quick ? 20 : 60;
    const replies = ctx.quick ? 1 : 2;
    const rig = await startRig();
    try {
      ctx.log(`  throughput: ${threads} new conversations + ${replies} replies in 10 of them, Teams limits on`);
      const r = await burst(rig, { threads, repliesIn: 10, replies });
      const settled = await settle(rig.db, 90_000);
      rows.push({
        metric: `one channel, paced: ${r.count} emails`,
        value: `${perSec(r.perSecond)} (last card after ${(r.lastMs / 1000).toFixed(1)} s)`,
        compare: 'bound by Teams: 8 per 2 s, then 60 per 30 s, for new threads in one channel',
      });
      if (r.missing > 0) notes.push(`paced run: ${r.missing} cards missing after the wait.`);
      if (!settled) notes.push('paced run: jobs still running 90 s after the burst.');
      const { posts, throttled } = await rig.services.posts();
      const byKey = new Map<string, number[]>();
      for (const p of posts) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.at]);
      for (const w of TEAMS_THREAD_WINDOWS.filter((x) => x.ms <= 30_000)) {
        const most = Math.max(0, ...[...byKey.values()].map((t) => maxInWindow(t, w.ms)));
        rows.push({
          metric: `Teams budget used, busiest thread, ${w.max} per ${w.ms / 1000} s`,
          value: `${most} of ${w.max} (${pct(most / w.max)})`,
          compare: verdict(most <= w.max, 'never over'),
        });
      }
      rows.push({
        metric: 'Teams 429s Mailroom caused',
        value: String(throttled),
        compare: verdict(throttled === 0, 'target 0'),
      });
    } finally {
      await rig.close();
    }

    // 2. Mailroom's own capacity: Teams pacing and limits off, as if every email went to a different thread.
    const n = ctx.quick ? 60 : 300;
    const free = await startRig({ teamsWindows: [], pacingOff: true });
    try {
      // The first burst after a start runs on code V8 has not compiled yet, in Mailroom and in the emulators alike:
      // it is shown as it is, and the capacity goal is held against the next one, as a server that has been up a
      // while meets a burst.
      ctx.log(`  throughput: ${n} new conversations, pacing off, first burst after start`);
      const cold = await burst(free, { threads: n, repliesIn: 0, replies: 0 });
      if (!(await settle(free.db, 60_000)))
        notes.push('unpaced run: jobs of the first burst still running after 60 s.');
      rows.push({
        metric: `pacing off, the first burst after start: ${cold.count} emails`,
        value:
          `${perSec(cold.perSecond)} (last card after ${(cold.lastMs / 1000).toFixed(1)} s); card p50 / p99 ` +
          `${ms(quantile(cold.cardMs, 0.5))} / ${ms(quantile(cold.cardMs, 0.99))}`,
        compare:
          'code not yet compiled by V8 (Mailroom and emulators); the goals below are held against the next burst',
      });
      const before = free.mailroom.sample();
      const beforeAt = Date.now();
      const loadBefore = loadavg()[0] ?? 0;
      ctx.log(`  throughput: ${n} new conversations, pacing off, warm`);
      const r = await burst(free, { threads: n, repliesIn: 0, replies: 0 });
      const atEnd = free.mailroom.sample();
      const burstWallMs = Date.now() - beforeAt;
      const loadAfter = loadavg()[0] ?? 0;
      const settled = await settle(free.db, 60_000);
      const done = free.mailroom.sample();
      // Steady state: the suggestion updates and every other job done, then idle seconds in which the worker gives
      // back the heap the burst left (bot/src/idle-heap.ts, both threads: after 3 s of quiet). RSS is read every second for 15 s,
      // so the row shows where it settles and the note shows how it got there.
      const idle: number[] = [];
      for (let s = 0; s < STEADY_SECONDS; s++) {
        await sleep(1_000);
        idle.push(free.mailroom.sample().rss);
      }
      const steady = free.mailroom.sample();
      rows.push({
        metric: `pacing off (Mailroom’s own capacity), the next burst: ${r.count} emails`,
        value: `${perSec(r.perSecond)} (last card after ${(r.lastMs / 1000).toFixed(1)} s)`,
        compare: verdict(
          r.perSecond >= CAPACITY_GOAL,
          `goal ≥ ${CAPACITY_GOAL}/s: notification → Graph fetch → store → card post`,
        ),
      });
      const p99 = quantile(r.cardMs, 0.99);
      rows.push({
        metric: 'pacing off: notification → card posted, p50 / p99',
        value: `${ms(quantile(r.cardMs, 0.5))} / ${ms(p99)}`,
        compare: verdict(p99 < CARD_P99_GOAL_MS, `goal p99 < ${CARD_P99_GOAL_MS} ms under that load`),
      });
      rows.push({
        metric: 'Mailroom CPU per email: to the last card / all its jobs done',
        value: `${ms((atEnd.cpuMs - before.cpuMs) / n)} / ${ms((done.cpuMs - before.cpuMs) / n)}`,
        compare: 'its own process only (/proc/<pid>/stat), suggestions and card updates included in the second',
      });
      rows.push({
        metric: "pacing off: Mailroom's CPU from before the burst to its last card",
        value: `${pct((atEnd.cpuMs - before.cpuMs) / burstWallMs)} of one core`,
        compare:
          `of ${cpus().length} cores; below that, Mailroom waited: for the emulators' answers or for a core (the ` +
          `machine's load average was ${loadBefore.toFixed(1)} before the burst and ${loadAfter.toFixed(1)} after)`,
      });
      rows.push({
        metric: 'Mailroom RSS: before / at the last card / all jobs done / steady state after / peak',
        value: `${mib(before.rss)} / ${mib(atEnd.rss)} / ${mib(done.rss)} / ${mib(steady.rss)} / ${mib(steady.peakRss)}`,
        compare: verdict(
          steady.rss < RSS_GOAL,
          `goal < 300 MB (${mib(RSS_GOAL)}) at steady state, ${STEADY_SECONDS} s after the last job (/proc/<pid>/status)`,
        ),
      });
      notes.push(
        `Mailroom's RSS in each of the ${STEADY_SECONDS} idle seconds after its last job: ` +
          `${idle.map((b) => Math.round(b / 1024 / 1024)).join(', ')} MiB.`,
      );
      notes.push(
        'npm start runs node without --enable-source-maps: with it, Node keeps the parsed source map of every module ' +
          'it loads that ships one, about a thousand files of node_modules in each of the two threads. In two A/B ' +
          'pairs of this benchmark’s two bursts (2026-12-07, same build, one after the other) the steady RSS was 310 and 315 MiB ' +
          'with the flag, 237 and 227 MiB without. Stack traces then name the compiled dist/bot file and function; ' +
          'NODE_OPTIONS=--enable-source-maps brings the .ts lines back (README, docs/admin.md).',
      );
      notes.push(
        'Both threads give back the heap a burst left once they have been quiet for 3 s (bot/src/idle-heap.ts): if ' +
          'the heap grew 8 MiB or more, full collections a second apart, at least two and at most four, until one ' +
          'gives back less than a MiB. Measured 2026-12-07 with a probe in each thread, 15 s after the second burst: ' +
          'after a single collection the job worker’s old space held 87–121 MiB for 35 MiB of live objects (its live ' +
          'objects are spread over many pages, and the pages a collection frees go back only after its concurrent ' +
          'sweeping), and 41 MiB after another; the HTTP thread’s 58 MiB is nearly all live (14 MiB of it module ' +
          'source, the UMD bundles of @microsoft/recognizers-text that teams-ai loads through botbuilder-dialogs). ' +
          'Steady RSS in this burst experiment, on a host running Mailroom at 8–10 ms of CPU per email: 238–339 MiB ' +
          'over 9 runs with the worker’s one collection when 32 MiB of its heap was free, 194–291 MiB over 11 runs ' +
          'with one collection in each thread after 8 MiB of growth, and 199, 212 and 215 MiB in three A/B pairs with ' +
          'this (276, 298 and 300 MiB without, one after the other). MALLOC_ARENA_MAX=2 and --v8-pool-size=1 were ' +
          'tried before it, and not told apart from the spread.',
      );
      if (r.missing > 0) notes.push(`unpaced run: ${r.missing} cards missing after the wait.`);
      if (!settled) notes.push('unpaced run: jobs still running 60 s after the burst.');
    } finally {
      await free.close();
    }
    return {
      name: 'throughput',
      title: 'Emails per second, Teams budget, Mailroom’s memory and CPU (issues 5 and 14)',
      method:
        'Mailroom alone in its own process (dist/bot/main.js as npm start runs it, production settings, file-backed SQLite), the ' +
        'emulators and the Bot Connector stand-in in a second, this load generator in a third. A burst: every ' +
        'email is stored in the Graph emulator first, then all notifications are POSTed at once (20 at a time). ' +
        'Emails per second = emails ÷ time from the first notification to the last card at the Bot Connector ' +
        'stand-in. The first run enforces Teams’ per-thread limits at the connector (a new thread counts against ' +
        'its channel, a reply or card update against its thread) with Mailroom’s database pacer as in production; ' +
        'the second turns both off (a bench-only preload) to show Mailroom’s own capacity: a first burst right after ' +
        'start, settled, then the measured one, as a server that has been up a while meets it. NetSuite at 0 ms, so ' +
        'every card is also updated once with suggestions.',
      rows,
      notes,
    };
  },
};
