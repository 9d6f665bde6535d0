import { type Sample, type Share, summarize } from './cpu-profile.js';
import { quantile } from './stats.js';
import type { TracedRequest, TraceFile } from './trace-types.js';

/** One notification as the load generator timed it: µs on the monotonic clock. */
export interface ClientTiming {
  sent: number;
  answered: number;
}

export interface Phase {
  name: string;
  /** Median and p90 over the acks, ms. */
  p50: number;
  p90: number;
}

export interface AckTrace {
  count: number;
  phases: Phase[];
  /** Per ack, medians: its own statements, the worker's statements that ran meanwhile, log writes. */
  ownSql: { n: number; ms: number };
  otherSql: { n: number; ms: number };
  logMs: number;
  /** What Mailroom's process ran from the send to the 202, over all the acks. */
  during: { busyMs: number; owners: Share[]; frames: Share[] };
}

const PHASES: Array<[string, (c: ClientTiming, r: Required<TracedRequest>) => number]> = [
  ['sent → Node has the headers (connection, event loop busy elsewhere)', (c, r) => r.start - c.sent],
  ['headers → commit asked (body read and parsed, checked, subscription found)', (_, r) => r.commitAsked - r.start],
  ['commit asked → committed (waiting for the connection, the transaction)', (_, r) => r.committed - r.commitAsked],
  ['committed → 202 written (log line, answer)', (_, r) => r.finish - r.committed],
  ['202 written → generator has it', (c, r) => c.answered - r.finish],
  ['whole ack, as the generator saw it', (c) => c.answered - c.sent],
];

const complete = (r: TracedRequest): r is Required<TracedRequest> =>
  r.commitAsked !== undefined && r.committed !== undefined && r.finish !== undefined;

/**
 * Matches each timed ack with the request Mailroom traced inside its span, then splits its time into phases and
 * names what Mailroom's process ran meanwhile (from the CPU profile's samples).
 */
export function traceAcks(acks: ClientTiming[], trace: TraceFile, samples: Sample[]): AckTrace {
  const pairs: Array<[ClientTiming, Required<TracedRequest>]> = [];
  for (const c of acks) {
    const r = trace.requests.find((x) => x.start >= c.sent && x.start <= c.answered);
    if (r && complete(r)) pairs.push([c, r]);
  }
  const ms = (us: number[], q: number) => quantile(us, q) / 1000;
  const phases = PHASES.map(([name, f]) => {
    const us = pairs.map(([c, r]) => f(c, r));
    return { name, p50: ms(us, 0.5), p90: ms(us, 0.9) };
  });
  const own: number[][] = [];
  const other: number[][] = [];
  const logs: number[] = [];
  for (const [, r] of pairs) {
    const inside = trace.events.filter((e) => e.start >= r.start && e.end <= r.finish);
    const sum = (xs: typeof inside) => xs.reduce((s, e) => s + (e.end - e.start), 0);
    // A statement's time is its prepare (compiling it: Kysely prepares each query anew) plus its run.
    const sql = (e: (typeof inside)[number]) => e.kind === 'sql' || e.kind === 'prepare';
    const mine = inside.filter((e) => sql(e) && e.request === r.id);
    const theirs = inside.filter((e) => sql(e) && e.request !== r.id);
    const count = (xs: typeof inside) => xs.filter((e) => e.kind === 'sql').length;
    own.push([count(mine), sum(mine)]);
    other.push([count(theirs), sum(theirs)]);
    logs.push(sum(inside.filter((e) => e.kind === 'log')));
  }
  const med = (rows: number[][], i: number) =>
    quantile(
      rows.map((x) => x[i] ?? 0),
      0.5,
    );
  const during = summarize(
    samples,
    pairs.map(([c, r]) => [c.sent, r.finish]),
    8,
  );
  return {
    count: pairs.length,
    phases,
    ownSql: { n: med(own, 0), ms: med(own, 1) / 1000 },
    otherSql: { n: med(other, 0), ms: med(other, 1) / 1000 },
    logMs: quantile(logs, 0.5) / 1000,
    during,
  };
}
