import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { type Db, openDatabase } from './db.js';

/** The database as the notification intake writes it, and how it waits when SQLite's one write lock is taken. */
export interface IntakeDb {
  db: Db;
  /** Runs `fn` again, after a short pause, while SQLite answers SQLITE_BUSY; on PostgreSQL it runs `fn` once. */
  whileBusy<T>(fn: () => Promise<T>): Promise<T>;
}

/** How long a notification may wait for SQLite's write lock before it is answered 503 (Graph then redelivers). */
const BUSY_BUDGET_MS = 2_000;

/** SQLite's answer when another connection holds the write lock (SQLITE_BUSY and its extended codes). */
export const isBusy = (err: unknown) =>
  String((err as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

/**
 * The intake's own connection, so a Graph acknowledgement waits behind nothing but its own commit.
 *
 * SQLite: better-sqlite3 runs on the server's thread, and a write that finds the lock taken (the worker thread
 * mid-transaction) would sleep inside SQLite's busy handler, in steps of up to 100 ms, with the whole event loop
 * stopped. This connection has no busy timeout: a busy INSERT fails at once, and is tried again a millisecond or a
 * few later while the event loop goes on reading requests, which join the next group commit. It also never runs a
 * checkpoint (`wal_autocheckpoint=0`): copying the WAL back and syncing the file would otherwise land on whichever
 * commit crossed the threshold, often an acknowledgement's. The other connections (the worker's, the server's
 * own) keep SQLite's automatic checkpoint, and the worker commits after every job, so the WAL stays bounded.
 * https://www.sqlite.org/wal.html#automatic_checkpoint, https://www.sqlite.org/c3ref/busy_timeout.html
 *
 * PostgreSQL: a pool of two of its own, so an acknowledgement never queues behind the Dashboard's or a card
 * click's queries for one of the server's connections. Group commit keeps one INSERT in flight; the second
 * connection is for the mailbox's health stamp.
 *
 * An in-memory SQLite database exists only on its one connection: the intake then shares it.
 */
export function openIntakeDb(main: Db, url: string): IntakeDb {
  if (main.engine === 'postgres') {
    return { db: openDatabase(url, { poolMax: 2, allowExitOnIdle: true }), whileBusy: (fn) => fn() };
  }
  if (url.slice('sqlite:'.length) === ':memory:') return { db: main, whileBusy: busyRetry() };
  return { db: openDatabase(url, { busyTimeoutMs: 0, autoCheckpoint: false }), whileBusy: busyRetry() };
}

/** SQLITE_BUSY tried again after 1 ms, growing to 8 ms (jittered), for up to about BUSY_BUDGET_MS. */
function busyRetry(): IntakeDb['whileBusy'] {
  const policy = retry(handleWhen(isBusy), {
    maxAttempts: Math.ceil(BUSY_BUDGET_MS / 6),
    backoff: new ExponentialBackoff({ initialDelay: 1, maxDelay: 8 }),
  });
  return (fn) => policy.execute(fn);
}
