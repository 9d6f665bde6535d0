/**
 * Bench-only, loaded into Mailroom's process with `--import` before its main module (compiled first, as Mailroom
 * is: mailroom-process.ts) by the trace benchmark: records, for every Graph notification request, when Node parsed
 * its headers, when Mailroom asked for its commit and had it, and when the answer was written; and every SQL
 * statement (better-sqlite3 or pg) and log write, with the request it ran for (none when the worker ran it). Times
 * are µs on the monotonic clock, the CPU profile's clock. Written to BENCH_TRACE_FILE when the process exits. Never
 * part of a production start.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import fs, { writeFileSync } from 'node:fs';
import { type IncomingMessage, ServerResponse } from 'node:http';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { IntakeCommitter } from '../../bot/src/mail/intake.js';
import type { TracedEvent, TracedRequest, TraceFile } from './trace-types.js';

const now = () => Number(process.hrtime.bigint() / 1000n);
const current = new AsyncLocalStorage<TracedRequest>();
const out: TraceFile = { requests: [], events: [] };
const byReq = new WeakMap<IncomingMessage, TracedRequest>();
const byRes = new WeakMap<ServerResponse, TracedRequest>();

dc.subscribe('http.server.request.start', (m) => {
  const { request, response } = m as { request: IncomingMessage; response: ServerResponse };
  if (!request.url?.startsWith('/api/graph/notifications')) return;
  const r: TracedRequest = { id: out.requests.length, start: now() };
  out.requests.push(r);
  byReq.set(request, r);
  byRes.set(response, r);
  // The rest of this request's handling, and what it awaits, runs with `r` as its store.
  current.enterWith(r);
});
// The answer's status line and headers are handed to the socket: the 202 is on its way.
const writeHead = ServerResponse.prototype.writeHead as (...a: unknown[]) => ServerResponse;
(ServerResponse.prototype as unknown as { writeHead: unknown }).writeHead = function (
  this: ServerResponse,
  ...a: unknown[]
) {
  const r = byRes.get(this);
  if (r && r.finish === undefined) r.finish = now();
  return writeHead.apply(this, a);
};

const commit = IntakeCommitter.prototype.commit;
IntakeCommitter.prototype.commit = function (this: IntakeCommitter, ...args: Parameters<typeof commit>) {
  const r = current.getStore();
  if (r) r.commitAsked = now();
  return commit.apply(this, args).finally(() => {
    if (r) r.committed = now();
  });
};

function record(kind: TracedEvent['kind'], start: number, text: string): void {
  out.events.push({ kind, start, end: now(), text: text.slice(0, 80), request: current.getStore()?.id ?? -1 });
}

// better-sqlite3 runs a statement synchronously inside run/all/get; Kysely prepares one per query.
const prepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
  const t = now();
  const stmt = prepare.call(this, source) as SQLite.Statement;
  record('prepare', t, source);
  for (const name of ['run', 'all', 'get'] as const) {
    const fn = stmt[name] as (...a: unknown[]) => unknown;
    (stmt as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
      const s = now();
      try {
        return fn.apply(stmt, a);
      } finally {
        record('sql', s, source);
      }
    };
  }
  return stmt;
} as typeof prepare;

// pg: one round trip per query, from the call to its answer.
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...a: unknown[]) {
  const s = now();
  const text = typeof a[0] === 'string' ? a[0] : String((a[0] as { text?: string } | undefined)?.text ?? '');
  const result = query.apply(this, a);
  if (result instanceof Promise) return result.finally(() => record('sql', s, text));
  return result;
};

// pino hands each log line to sonic-boom, which writes it to stdout with fs.write (asynchronous by default) or
// fs.writeSync; both are timed here as the call's own cost on the event loop.
for (const name of ['write', 'writeSync'] as const) {
  const original = fs[name] as (...a: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
    if (a[0] !== 1 && a[0] !== 2) return original(...a);
    const s = now();
    try {
      return original(...a);
    } finally {
      record('log', s, String(a[1]));
    }
  };
}

process.on('exit', () => {
  if (process.env.BENCH_TRACE_FILE) writeFileSync(process.env.BENCH_TRACE_FILE, JSON.stringify(out));
});
