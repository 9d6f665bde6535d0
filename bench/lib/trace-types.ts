/** One Graph notification request as the trace preload saw it; µs on the monotonic clock. */
export interface TracedRequest {
  id: number;
  /** Node parsed the request line and headers. */
  start: number;
  /** Checked and looked up: Mailroom asked for the commit. */
  commitAsked?: number;
  /** The commit that holds its notifications is done. */
  committed?: number;
  /** The 202's status line and headers are handed to the socket (writeHead). */
  finish?: number;
}

/** A SQL statement or a log write; `request` is the id of the request it ran for, or -1 (the worker, upkeep). */
export interface TracedEvent {
  /** `prepare` is better-sqlite3 compiling a statement (Kysely prepares each query anew). */
  kind: 'sql' | 'prepare' | 'log';
  start: number;
  end: number;
  text: string;
  request: number;
}

export interface TraceFile {
  requests: TracedRequest[];
  events: TracedEvent[];
}
