import type { HostSpeed, Machine } from './machine.js';
import type { BenchResult } from './result.js';

/** The console table of one benchmark. */
export function renderTable(r: BenchResult | undefined): string {
  if (!r) return '';
  const w0 = Math.max(6, ...r.rows.map((x) => x.metric.length));
  const w1 = Math.max(5, ...r.rows.map((x) => x.value.length));
  const lines = r.rows.map((x) => `  ${x.metric.padEnd(w0)}  ${x.value.padEnd(w1)}  ${x.compare ?? ''}`);
  return [`  ${r.title}`, ...lines, ...r.notes.map((n) => `  note: ${n}`)].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** Every row held against a bound (✅ or ❌), gathered at the top: the goals of issues 5, 6, 3 and 14 at a glance. */
function goalSummary(results: BenchResult[]): string[] {
  const held = results.flatMap((r) =>
    r.rows.filter((x) => /^(✅|❌)/.test(x.compare ?? '')).map((x) => ({ r, x, ok: x.compare?.startsWith('✅') })),
  );
  if (held.length === 0) return [];
  const missed = held.filter((h) => !h.ok).length;
  return [
    '## Goals at a glance',
    '',
    `${held.length - missed} of ${held.length} bounds hold in this run${missed > 0 ? `; ${missed} do not (❌)` : ''}. ` +
      "Each row is repeated in its benchmark's section below, with how it was measured. Teams' invoke time limit " +
      '(a click not done in 2.5 s answers "working on it") is a mechanism with no figure: ' +
      '`test/integration/teams/invoke-time-limit.test.ts` proves it.',
    '',
    '| benchmark | measure | figure | bound |',
    '|---|---|---|---|',
    ...held.map(({ r, x }) => `| \`${r.name}\` | ${cell(x.metric)} | ${cell(x.value)} | ${cell(x.compare ?? '')} |`),
    '',
  ];
}

export function renderMarkdown(input: {
  machine: Machine;
  /** The host's speed on a fixed task, before the first benchmark and after the last. */
  speed?: { start: HostSpeed; end: HostSpeed };
  results: BenchResult[];
  quick: boolean;
  totalSeconds: number;
}): string {
  const { machine: m, results } = input;
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every figure below comes from one run on the',
    'machine listed. The end-to-end benchmarks (`ack`, `card`, `throughput`, `trace`) run Mailroom alone in its own',
    'process, started as `npm start` starts it (the compiled dist/bot/main.js) with its environment pointing at the',
    'Graph and NetSuite emulators and a Bot Connector stand-in, which run in a second process; the load generator is',
    "a third. Mailroom's CPU time and memory are read from /proc for its pid alone. The component benchmarks",
    "(`netsuite`, `dashboard`) call Mailroom's code in the benchmark's process. The machine is shared and small, so",
    'absolute numbers move from run to run by tens of per cent; compare figures of the same run with each other and',
    'with the bounds, not across runs.',
    '',
    input.quick ? '> **Quick run** (`--quick`): short durations and small data sets; see each section.\n' : '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Memory: ${m.memory}`,
    `- OS: ${m.os}; Node.js ${m.node}`,
    `- Run: ${m.date}, ${input.totalSeconds.toFixed(0)} s in all`,
    ...(input.speed
      ? [
          `- Host speed, the same fixed work timed on every run (median of 5, lower is faster; bench/lib/machine.ts): ` +
            `JSON and hashing on one thread ${input.speed.start.jsMs.toFixed(0)} ms at the start and ` +
            `${input.speed.end.jsMs.toFixed(0)} ms at the end; \`node -e 0\` ${input.speed.start.nodeStartMs.toFixed(0)} ms ` +
            `and ${input.speed.end.nodeStartMs.toFixed(0)} ms. Runs whose host speeds differ differ in every figure.`,
        ]
      : []),
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm ci',
    '# optional: the PostgreSQL figures (otherwise they are skipped and say so)',
    'export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test',
    'npm run bench                 # everything (about 15 minutes) and rewrite this file',
    'npm run bench -- --quick      # a short smoke run; prints only',
    'npm run bench -- --only ack   # one benchmark (names below); prints only; add --write to rewrite this file',
    '```',
    '',
    `Benchmarks: ${results.map((r) => `\`${r.name}\``).join(', ')}.`,
    '',
    ...goalSummary(results),
  ];
  for (const r of results) {
    out.push(
      `## ${r.title}`,
      '',
      `\`--only ${r.name}\`. ${r.method}`,
      '',
      '| measure | figure | against |',
      '|---|---|---|',
    );
    for (const row of r.rows) out.push(`| ${cell(row.metric)} | ${cell(row.value)} | ${cell(row.compare ?? '')} |`);
    out.push('');
    for (const n of r.notes) out.push(`- ${n}`);
    if (r.notes.length > 0) out.push('');
    for (const d of r.details ?? []) out.push(d.includes('\n') ? `\`\`\`text\n${d}\n\`\`\`` : d, '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
