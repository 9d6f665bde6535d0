import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ackLatency } from './ack-latency.js';
import { cardLatency } from './card-latency.js';
import { dashboardApi } from './dashboard-api.js';
import { flood } from './flood.js';
import { describeMachine, hostSpeed } from './lib/machine.js';
import { renderMarkdown, renderTable } from './lib/report.js';
import type { Bench, BenchContext, BenchResult } from './lib/result.js';
import { netsuiteGovernor } from './netsuite-governor.js';
import { retention } from './retention.js';
import { tabSize } from './tab-size.js';
import { throughput } from './throughput.js';
import { trace } from './trace.js';

const BENCHES: Bench[] = [
  ackLatency,
  cardLatency,
  throughput,
  trace,
  netsuiteGovernor,
  dashboardApi,
  tabSize,
  retention,
  flood,
];
const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

function parseArgs(argv: string[]) {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  return {
    quick: argv.includes('--quick'),
    only: only ? only.split(',') : undefined,
    write: argv.includes('--write') ? true : argv.includes('--no-write') ? false : undefined,
  };
}

/** BENCH_DATABASE_URL, else TEST_DATABASE_URL, if a server answers there. */
async function reachablePostgres(): Promise<string | null> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (err) {
    console.warn(`PostgreSQL at ${url} is not reachable (${String(err)}); its figures are skipped.`);
    return null;
  }
}

const args = parseArgs(process.argv.slice(2));
const unknown = args.only?.filter((n) => !BENCHES.some((b) => b.name === n)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const ctx: BenchContext = {
  quick: args.quick,
  postgresUrl: await reachablePostgres(),
  log: (line) => console.log(line),
};
const machine = describeMachine();
const speedAtStart = hostSpeed();
const started = Date.now();
const results: BenchResult[] = [];
for (const bench of BENCHES.filter((b) => !args.only || args.only.includes(b.name))) {
  console.log(`▶ ${bench.name}`);
  const t = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const result = await bench.run(ctx);
  // Other work on the machine takes cores from every process measured here: say how much there was.
  result.notes.push(
    `The machine's 1-minute load average was ${loadBefore.toFixed(1)} when this benchmark started and ` +
      `${(loadavg()[0] ?? 0).toFixed(1)} when it ended (${cpus().length} cores).`,
  );
  results.push(result);
  console.log(renderTable(results.at(-1)));
  console.log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
}
const total = (Date.now() - started) / 1000;
// A partial or quick run must not replace the committed figures unless asked to.
const write = args.write ?? (!args.only && !args.quick);
if (write) {
  const speed = { start: speedAtStart, end: hostSpeed() };
  writeFileSync(DOC, renderMarkdown({ machine, speed, results, quick: args.quick, totalSeconds: total }));
  console.log(`wrote ${DOC}`);
}
console.log(`done in ${total.toFixed(0)} s`);
process.exit(0);
