import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { MailroomError } from '../core/errors.js';
import type { Db } from '../store/db.js';

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
 * the database (`rate_slots` rows with a lease). The count-then-insert runs in one transaction; on PostgreSQL
 * an advisory transaction lock on the key serializes it across connections and replicas.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_161510296036.html (concurrency governance)
 */
export class DbGovernor implements ConcurrencyGovernor {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: () => Date;
  /** This process's callers waiting for a permit: a release here wakes one at once instead of at its next poll. */
  private readonly waiting = new Set<() => void>();

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
    for (;;) {
      const id = await this.tryAcquire();
      if (id !== null) return this.held(id);
      if (Date.now() - started > this.maxWaitMs) {
        // Other calls hold the whole budget: a job waits and tries again, as after NetSuite's own 429.
        throw new MailroomError(
          'netsuite_concurrency_limit',
          `no NetSuite concurrency permit free after ${this.maxWaitMs} ms (limit ${this.opts.limit})`,
        );
      }
      // Polling still covers permits freed by other replicas and leases that ran out.
      await this.nextTurn(this.pollMs * (0.5 + Math.random() * 1.5));
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
      for (const wake of this.waiting) {
        this.waiting.delete(wake);
        wake();
        break;
      }
    };
  }

  private nextTurn(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiting.add(wake);
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
    return this.db.kysely.transaction().execute(async (tx) => {
      if (this.db.engine === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${this.opts.key}))`.execute(tx);
      }
      // A crashed holder's permit comes back once its lease runs out.
      await tx
        .deleteFrom('rate_slots')
        .where('key', '=', this.opts.key)
        .where('lease_until', 'is not', null)
        .where('lease_until', '<=', nowIso)
        .execute();
      const row = await tx
        .selectFrom('rate_slots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('key', '=', this.opts.key)
        .where('lease_until', 'is not', null)
        .executeTakeFirst();
      if (Number(row?.n ?? 0) >= this.opts.limit) return null;
      const id = randomUUID();
      await tx
        .insertInto('rate_slots')
        .values({
          id,
          tenant_id: SYSTEM_TENANT,
          key: this.opts.key,
          at: nowIso,
          lease_until: new Date(now.getTime() + this.leaseMs).toISOString(),
        })
        .execute();
      return id;
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
