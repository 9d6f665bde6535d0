import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { MailroomError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';

/** Gives out at most N permits at a time; a request holds one while it is in flight. */
export interface ConcurrencyGovernor {
  /** Waits for a permit and returns the function that gives it back. */
  acquire(): Promise<() => Promise<void>>;
}

export interface DbGovernorOptions {
  /** `netsuite:<account>`: one budget per NetSuite account, shared by every process. */
  key: string;
  limit: number;
  /**
   * How long a permit lives if its holder dies without giving it back. A live holder renews it every third of
   * this, however long its call runs, so it can be short: a crashed replica's permits come back within it.
   */
  leaseMs?: number;
  /** Base wait between tries while the budget is full; each sleep is jittered up to twice this. */
  pollMs?: number;
  /** Give up after this long waiting (the caller's job retries later). */
  maxWaitMs?: number;
  clock?: () => Date;
}

const SYSTEM_TENANT = '_system';

/**
 * NetSuite's concurrency limit is per account, across every integration and replica, so the permits live in
 * the database (`rate_slots` rows with a lease). A permit is one INSERT that adds a row only while fewer than
 * `limit` unexpired rows hold the key: on SQLite a single statement runs under the database's one write lock;
 * on PostgreSQL it runs in a transaction behind an advisory lock on the key, which serializes it across
 * connections and replicas.
 *
 * This process's waiters queue here, and only the first of them asks the database: the others wait their turn
 * instead of each polling `rate_slots` (in a burst of suggestion lookups, a dozen callers polling every few
 * milliseconds were most of the worker's SQL). A permit given back here wakes the first waiter at once; polling
 * remains for permits freed by other replicas and for leases that ran out.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_161510296036.html (concurrency governance)
 */
export class DbGovernor implements ConcurrencyGovernor {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: () => Date;
  /** Whether a caller of this process is asking the database now (the others queue behind it). */
  private asking = false;
  /** Callers behind the one asking, first come first served. */
  private readonly queue: Array<() => void> = [];
  /** Wakes the asking caller from its sleep when a permit is given back here. */
  private wakeAsker: (() => void) | undefined;
  /** Permits given back by this process so far: a release during a failed try is not slept through. */
  private releases = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: DbGovernorOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 15;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.clock = opts.clock ?? (() => new Date());
  }

  async acquire(): Promise<() => Promise<void>> {
    const started = Date.now();
    if (this.asking) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.asking = true;
    try {
      for (;;) {
        const seen = this.releases;
        const id = await this.tryAcquire();
        if (id !== null) return this.held(id);
        if (Date.now() - started > this.maxWaitMs) {
          // Other calls hold the whole budget: a job waits and tries again, as after NetSuite's own 429.
          throw new MailroomError(
            'netsuite_concurrency_limit',
            `no NetSuite concurrency permit free after ${this.maxWaitMs} ms (limit ${this.opts.limit})`,
          );
        }
        if (this.releases === seen) await this.nextTurn(this.pollMs * (0.5 + Math.random() * 1.5));
      }
    } finally {
      // The next caller in line asks now: with a permit taken, there may well be another free.
      const next = this.queue.shift();
      if (next) next();
      else this.asking = false;
    }
  }

  /** Keeps the permit's lease alive while its call runs; the returned function gives it back, once. */
  private held(id: string): () => Promise<void> {
    const renew = setInterval(() => {
      const until = new Date(this.clock().getTime() + this.leaseMs).toISOString();
      // A renewal that fails leaves the lease to run out: at worst the permit returns a little early.
      this.db.kysely
        .updateTable('rate_slots')
        .set({ lease_until: until })
        .where('id', '=', id)
        .execute()
        .catch(() => undefined);
    }, this.leaseMs / 3);
    renew.unref();
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      await this.release(id);
      this.releases++;
      this.wakeAsker?.();
    };
  }

  private nextTurn(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeAsker = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeAsker = wake;
    });
  }

  /** Permits held right now (expired leases not counted). */
  async inFlight(): Promise<number> {
    const now = this.clock().toISOString();
    const row = await this.db.kysely
      .selectFrom('rate_slots')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', this.opts.key)
      .where('lease_until', '>', now)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private async tryAcquire(): Promise<string | null> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const id = randomUUID();
    const take = async (k: Kysely<Database>) => {
      // A crashed holder's permit stops counting once its lease runs out.
      const taken = await k
        .insertInto('rate_slots')
        .columns(['id', 'tenant_id', 'key', 'at', 'lease_until'])
        .expression(
          k
            .selectNoFrom((eb) => [
              eb.val(id).as('id'),
              eb.val(SYSTEM_TENANT).as('tenant_id'),
              eb.val(this.opts.key).as('key'),
              eb.val(nowIso).as('at'),
              eb.val(new Date(now.getTime() + this.leaseMs).toISOString()).as('lease_until'),
            ])
            .where(
              (eb) =>
                eb
                  .selectFrom('rate_slots')
                  .select((c) => c.fn.countAll<number>().as('n'))
                  .where('key', '=', this.opts.key)
                  .where('lease_until', '>', nowIso),
              '<',
              this.opts.limit,
            ),
        )
        .executeTakeFirst();
      // Rows of leases that ran out are left to retention (bot/src/store/retention.ts): they no longer count.
      return Number(taken.numInsertedOrUpdatedRows ?? 0n) > 0 ? id : null;
    };
    if (this.db.engine !== 'postgres') return take(this.db.kysely);
    return this.db.kysely.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${this.opts.key}))`.execute(tx);
      return take(tx);
    });
  }

  private async release(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('rate_slots').where('id', '=', id).execute();
  }
}

/** A per-process governor, for tools and tests that run without a database. */
export class LocalGovernor implements ConcurrencyGovernor {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => Promise<void>> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters.shift()?.();
    };
  }
}
