import { readFileSync, statSync } from 'node:fs';
import { MAX_NOTIFICATIONS_PER_REQUEST } from '../bot/src/mail/notifications.js';
import { type Bench, type BenchResult, type Row, verdict } from './lib/result.js';
import { startRig } from './lib/rig.js';
import { kib, ms } from './lib/stats.js';

/** Graph wants a 2xx within 3 s; /healthz is what a load balancer and Graph's own retries depend on meanwhile. */
const GRAPH_ACK_MS = 3_000;
const PARALLEL = 8;

/** The hostile body of issue 11 (F3): just under 1 MB of notification items naming unknown subscriptions. */
function floodBody(): { body: string; items: number } {
  const value: unknown[] = [];
  let size = 12;
  for (let i = 0; ; i++) {
    // As small as an item naming a subscription can be, so the body holds as many as issue 11's (about 37,000).
    const item = { subscriptionId: `f${i.toString(36)}` };
    const len = JSON.stringify(item).length + 1;
    if (size + len > 1024 * 1024 - 64) break;
    size += len;
    value.push(item);
  }
  return { body: JSON.stringify({ value }), items: value.length };
}

/**
 * The size of Mailroom's log once it has stopped growing: its lines are written in blocks, at least every 100 ms
 * (bot/src/log.ts), so a line logged just before may reach the file after.
 */
async function settledSize(file: string): Promise<number> {
  let size = statSync(file).size;
  for (let waited = 0; waited < 3000; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    const now = statSync(file).size;
    if (now === size && waited >= 500) break;
    size = now;
  }
  return size;
}

/** Lines and bytes Mailroom's log grew by since `from`, once it has stopped growing. */
async function settledLogGrowth(file: string, from: number): Promise<{ lines: number; bytes: number }> {
  await settledSize(file);
  return logGrowth(file, from);
}

function logGrowth(file: string, from: number): { lines: number; bytes: number } {
  const bytes = statSync(file).size - from;
  const text = readFileSync(file, 'utf8').slice(from);
  return { lines: text.split('\n').filter((l) => l.trim() !== '').length, bytes };
}

/**
 * Issue 11 (F3): a flood of forged Graph notifications. One POST, then eight at once, while /healthz is polled
 * every 50 ms; Mailroom in its own process (production settings, LOG_LEVEL=info to a file).
 */
export const flood: Bench = {
  name: 'flood',
  async run(ctx): Promise<BenchResult> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const { body, items } = floodBody();
    const rig = await startRig();
    try {
      const post = async () => {
        const t = performance.now();
        const res = await fetch(`${rig.url}/api/graph/notifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - t };
      };
      ctx.log(`  flood: ${items} forged notifications per ${kib(body.length)} POST`);
      // The /watch that set the rig up has logged too: count from after its lines.
      let mark = await settledSize(rig.logFile);
      const one = await post();
      const oneLog = await settledLogGrowth(rig.logFile, mark);
      rows.push({
        metric: `one POST of ${items} forged notifications`,
        value: `${ms(one.ms)}, HTTP ${one.status}`,
        compare: verdict(one.ms < GRAPH_ACK_MS && one.status === 202, "answered 202 within Graph's 3 s"),
      });
      rows.push({
        metric: 'its log',
        value: `${oneLog.lines} line(s), ${kib(oneLog.bytes)}`,
        compare: verdict(oneLog.lines <= 1, 'one summary line per request'),
      });

      mark = await settledSize(rig.logFile);
      const health: number[] = [];
      let flooding = true;
      const poll = (async () => {
        while (flooding) {
          const t = performance.now();
          await fetch(`${rig.url}/healthz`).then((r) => r.arrayBuffer());
          health.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const answers = await Promise.all(Array.from({ length: PARALLEL }, () => post()));
      flooding = false;
      await poll;
      const parallelLog = await settledLogGrowth(rig.logFile, mark);
      const slowest = Math.max(...answers.map((a) => a.ms));
      const worstHealth = Math.max(...health);
      rows.push({
        metric: `${PARALLEL} such POSTs at once: slowest answer`,
        value: `${ms(slowest)}; ${answers.filter((a) => a.status === 202).length} of ${PARALLEL} answered 202`,
        compare: verdict(slowest < GRAPH_ACK_MS, "under Graph's 3 s"),
      });
      rows.push({
        metric: '/healthz meanwhile: slowest of its answers',
        value: `${ms(worstHealth)} (${health.length} polls)`,
        compare: verdict(worstHealth < GRAPH_ACK_MS, 'under 3 s'),
      });
      rows.push({
        metric: `log of the ${PARALLEL} POSTs`,
        value: `${parallelLog.lines} lines, ${kib(parallelLog.bytes)}`,
        compare: verdict(parallelLog.lines <= PARALLEL, 'one line per request'),
      });
      notes.push(
        `At most ${MAX_NOTIFICATIONS_PER_REQUEST} items of a request are looked at (Graph documents no maximum per ` +
          'POST); the rest are counted as over_limit in the request’s line.',
      );
    } finally {
      await rig.close();
    }
    return {
      name: 'flood',
      title: 'A flood of forged Graph notifications (issue 11, F3)',
      method:
        'Mailroom alone in its own process (dist/bot/main.js as npm start runs it, production settings, LOG_LEVEL=info to a file). A body ' +
        'just under 1 MB of notification items each naming a subscription Mailroom never made, POSTed once, ' +
        `then ${PARALLEL} times at once while /healthz is polled every 50 ms. Log growth is read from Mailroom's log file.`,
      rows,
      notes,
    };
  },
};
