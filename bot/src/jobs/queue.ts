import { randomUUID } from 'node:crypto';
import {
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  sql,
  type Transaction,
  type UpdateObject,
} from 'kysely';
import type { JobRequest, JobSink } from '../core/ports.js';
import type { Db } from '../store/db.js';
import type { Database, JobTable } from '../store/schema.js';

export interface Job {
  id: string;
  tenantId: string;
  kind: string;
  payload: unknown;
  attempts: number;
  createdAt: string;
  /** When it first waited for another job (`defer`), or null. */
  waitingSince: string | null;
}

/**
 * A job to add. Its dedupe key is released when a worker takes the job, so a change after that gets a job of its
 * own.
 */
export type JobSpec = JobRequest;

export type Clock = () => Date;

/** Which jobs `requeueFailed` takes: their ids, or a query of the caller's that selects them as `id`. */
// biome-ignore lint/suspicious/noExplicitAny: the caller's query may join and alias any tables.
export type RequeueIds = readonly string[] | SelectQueryBuilder<Database, any, { id: string }>;

/**
 * Which due jobs a lease takes first: kinds in `first`, then the rest, then kinds in `last`, each oldest first.
 * In a burst, a card waits for no suggestion lookup: the lookups run once the cards are out.
 */
export interface LeaseOrder {
  first?: string[];
  last?: string[];
}

function toJob(row: Selectable<JobTable>): Job {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    attempts: row.attempts,
    createdAt: row.created_at,
    waitingSince: row.waiting_since ?? null,
  };
}

/**
 * The durable job table. Every side effect that crosses the network is a row here before it is tried,
 * so a crash, a restart or a second replica loses nothing and repeats nothing.
 */
export class JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = () => new Date(),
    private readonly listeners = new Set<() => void>(),
  ) {}

  /** This queue written through another connection (the notification intake's): its enqueues wake the same workers. */
  through(db: Db): JobQueue {
    return new JobQueue(db, this.clock, this.listeners);
  }

  /** Called after every enqueue in this process, so a worker can wake at once instead of at its next poll. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a job; returns its id, or null when a job with the same dedupe key is already waiting. */
  async enqueue(spec: JobSpec, trx?: Transaction<Database>): Promise<string | null> {
    const inserted = await this.insert(spec, trx ?? this.db.kysely);
    if (inserted) this.wake();
    return inserted;
  }

  /**
   * The job sink of one transaction: its jobs commit with the transaction's other rows, and the workers are woken
   * only once `afterCommit` runs its callbacks (before that, they could not see the rows).
   */
  within(trx: Transaction<Database>, afterCommit: (fn: () => void) => void): JobSink {
    let woken = false;
    return {
      enqueue: async (spec) => {
        const id = await this.insert(spec, trx);
        if (id && !woken) {
          woken = true;
          afterCommit(() => this.wake());
        }
        return id;
      },
    };
  }

  private wake(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Adds many jobs in one INSERT (a burst of notifications: one statement, one round trip). A spec whose dedupe key
   * is already waiting, or repeats one earlier in the list, is skipped. Returns how many were added.
   */
  async enqueueMany(specs: JobSpec[], trx?: Transaction<Database>): Promise<number> {
    const seen = new Set<string>();
    const rows = specs
      .filter((s) => s.dedupeKey === undefined || (!seen.has(s.dedupeKey) && Boolean(seen.add(s.dedupeKey))))
      .map((s) => this.row(s));
    if (rows.length === 0) return 0;
    const result = await (trx ?? this.db.kysely)
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n);
    if (inserted > 0) this.wake();
    return inserted;
  }

  private async insert(spec: JobSpec, k: Kysely<Database>): Promise<string | null> {
    const row = this.row(spec);
    const result = await k
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? row.id : null;
  }

  private row(spec: JobSpec): JobTable {
    const now = this.clock().toISOString();
    return {
      id: randomUUID(),
      tenant_id: spec.tenantId,
      kind: spec.kind,
      payload: JSON.stringify(spec.payload ?? null),
      dedupe_key: spec.dedupeKey ?? null,
      status: 'queued',
      attempts: 0,
      run_at: (spec.runAt ?? this.clock()).toISOString(),
      lease_until: null,
      locked_by: null,
      last_error: null,
      last_error_code: null,
      waiting_since: null,
      created_at: now,
      updated_at: now,
    };
  }

  /**
   * Takes up to `limit` due jobs for this worker, with a lease. A job whose lease ran out (its worker died)
   * is due again. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets replicas lease side by side without waiting.
   */
  async lease(
    workerId: string,
    opts: {
      limit: number;
      leaseMs: number;
      kinds?: string[];
      order?: LeaseOrder;
      /** At most this many of the `order.last` kinds, together (0: none of them). Honoured when `kinds` are named. */
      lastLimit?: number;
    },
  ): Promise<Job[]> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const leaseUntil = new Date(now.getTime() + opts.leaseMs).toISOString();
    const k = this.db.kysely;
    const due = (eb: ExpressionBuilder<Database, 'jobs'>) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'running'), eb('lease_until', '<', nowIso)]),
      ]);
    const first = opts.order?.first ?? [];
    const last = opts.order?.last ?? [];
    const rank =
      first.length > 0 || last.length > 0
        ? sql<number>`case${first.length > 0 ? sql` when kind in (${sql.join(first)}) then 0` : sql``}${
            last.length > 0 ? sql` when kind in (${sql.join(last)}) then 2` : sql``
          } else 1 end`
        : null;
    const pg = this.db.engine === 'postgres';
    // Without the kinds named: every due job, sorted by rank then age. On PostgreSQL the UPDATE locks what it picks.
    const pickAny = (limit: number) => {
      let q = k.selectFrom('jobs').select('id').where(due).limit(limit);
      if (rank) q = q.orderBy(rank);
      q = q.orderBy('run_at');
      return pg ? q.forUpdate().skipLocked() : q;
    };
    // With the kinds named (the worker names its registry's), only each kind's oldest due jobs are read, in order
    // through jobs_kind_due_ix, plus expired leases (few: running jobs number at most the workers' concurrency),
    // and just those are sorted. Sorting every due job took 8-16 ms per lease on PostgreSQL with a backlog of
    // 5,200, hundreds of times a burst, on the cores the notification intake needs. On PostgreSQL each part skips
    // and locks as it reads, so replicas leasing at the same moment find different jobs instead of the same few.
    const pickNamed = (kinds: string[], limit: number) => {
      const lock = <Q extends { forUpdate(): { skipLocked(): Q } }>(q: Q): Q => (pg ? q.forUpdate().skipLocked() : q);
      const part = (kind: string) =>
        lock(
          k
            .selectFrom('jobs')
            .select(['id', 'kind', 'run_at'])
            .where('status', '=', 'queued')
            .where('kind', '=', kind)
            .where('run_at', '<=', nowIso)
            .orderBy('run_at')
            .limit(limit),
        );
      const expired = lock(
        k
          .selectFrom('jobs')
          .select(['id', 'kind', 'run_at'])
          .where('status', '=', 'running')
          .where('lease_until', '<', nowIso)
          .where('kind', 'in', kinds),
      );
      // Each part is wrapped: SQLite allows no ORDER BY or LIMIT on the members of a UNION themselves.
      const wrap = (q: typeof expired, name: string) => k.selectFrom(q.as(name)).select(['id', 'kind', 'run_at']);
      const capped = opts.lastLimit === undefined ? [] : kinds.filter((kind) => last.includes(kind));
      const free = kinds.filter((kind) => !capped.includes(kind));
      let all = free.reduce((u, kind, n) => u.unionAll(wrap(part(kind), `k${n}`)), wrap(expired, 'x'));
      const lastLimit = Math.min(limit, opts.lastLimit ?? 0);
      if (capped.length > 0 && lastLimit > 0) {
        // The capped kinds' oldest jobs, together at most lastLimit of them.
        const group = capped
          .map((kind, n) => wrap(part(kind).limit(lastLimit), `l${n}`))
          .reduce((u, q) => u.unionAll(q));
        const oldest = k.selectFrom(group.as('lg')).select(['id', 'kind', 'run_at']).orderBy('run_at').limit(lastLimit);
        all = all.unionAll(k.selectFrom(oldest.as('lw')).select(['id', 'kind', 'run_at']));
      }
      let q = k.selectFrom(all.as('c')).select('c.id').limit(limit);
      if (rank) q = q.orderBy(rank);
      return q.orderBy('c.run_at');
    };
    const pick = (limit: number) =>
      opts.kinds && opts.kinds.length > 0 ? pickNamed(opts.kinds, limit) : pickAny(limit);
    const take = k.updateTable('jobs').set({
      status: 'running',
      lease_until: leaseUntil,
      locked_by: workerId,
      dedupe_key: null,
      attempts: sql<number>`attempts + 1`,
      updated_at: nowIso,
    });
    if (this.db.engine === 'postgres') {
      const rows = await take.where('id', 'in', pick(opts.limit)).returningAll().execute();
      return rows.map(toJob);
    }
    // SQLite: the pick (which reads and sorts the backlog) runs as a read, which blocks no writer; the UPDATE then
    // holds the database's one write lock only to mark those rows, checking again that each is still due. Inside
    // the UPDATE, the pick held that lock for its whole sort, and the server's thread, which commits each
    // notification before it answers Graph, waited that long. A job another worker leased between the two is
    // skipped, and the pick is made again for the ones missed.
    const leased: Job[] = [];
    for (let round = 0; round < 4 && leased.length < opts.limit; round++) {
      const ids = (await pick(opts.limit - leased.length).execute()).map((r) => r.id);
      if (ids.length === 0) break;
      const rows = await take.where('id', 'in', ids).where(due).returningAll().execute();
      leased.push(...rows.map(toJob));
      if (rows.length === ids.length) break;
    }
    return leased;
  }

  /** Keeps a long job's lease alive. */
  async extendLease(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const until = new Date(this.clock().getTime() + leaseMs).toISOString();
    const r = await this.db.kysely
      .updateTable('jobs')
      .set({ lease_until: until })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async complete(id: string, workerId: string): Promise<void> {
    await this.completeMany([id], workerId);
  }

  /**
   * Marks several of this worker's jobs done in one statement: the jobs of a burst that finished together cost one
   * write, not one each. A job another worker holds now (its lease ran out and was taken over) is left alone.
   */
  async completeMany(ids: string[], workerId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.kysely
      .updateTable('jobs')
      .set({ status: 'done', lease_until: null, updated_at: this.clock().toISOString() })
      .where('id', 'in', ids)
      .where('locked_by', '=', workerId)
      .execute();
  }

  /** Schedules another attempt after `delayMs`; the job keeps its payload and its attempt count. */
  async retryLater(id: string, workerId: string, delayMs: number, error: { code: string; message: string }) {
    await this.requeue(id, workerId, delayMs, error, {});
  }

  /**
   * The job waits for another job (a reply's card for its thread's first card): it runs again after `delayMs`, and
   * the attempt its lease counted is given back, so waiting never uses up the tries kept for failures. The first
   * wait is remembered (`waitingSince`), which bounds the waiting in all; the reason is kept as the job's last error.
   */
  async defer(id: string, workerId: string, delayMs: number, reason: { code: string; message: string }) {
    await this.requeue(id, workerId, delayMs, reason, {
      attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
      waiting_since: sql<string>`coalesce(waiting_since, ${this.clock().toISOString()})`,
    });
  }

  /**
   * Whether a job of this kind and payload is still to run (waiting or running) for the tenant: the card job a
   * reply waits on, say. A job that is done or failed for good, or was never added, is not.
   */
  async pending(tenantId: string, kind: string, payload: unknown): Promise<boolean> {
    const r = await this.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ['queued', 'running'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('payload', '=', JSON.stringify(payload ?? null))
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** This queue's time: what run_at, leases and waits are measured against. */
  now(): Date {
    return this.clock();
  }

  /** Gives up: the job stays in the table as failed, with its reason, so it can be shown and retried by hand. */
  async fail(id: string, workerId: string, error: { code: string; message: string }): Promise<void> {
    await this.finish(id, workerId, {
      status: 'failed',
      lease_until: null,
      last_error: error.message.slice(0, 2000),
      last_error_code: error.code,
    });
  }

  /**
   * A person runs again jobs that failed for good, once they fixed the cause: each of the tenant's jobs named by
   * `ids` (a list, or a query that selects `id`) that is still failed is queued afresh, due now, with all of its
   * attempts and no lease or wait, as if just added; its last error stays until the next run. Returns how many.
   * One statement whose WHERE checks the status again on each row, so of two callers at once (two clicks, two
   * replicas) each job goes to one: PostgreSQL re-reads a row the other changed, and SQLite writes one at a time.
   */
  async requeueFailed(tenantId: string, ids: RequeueIds, trx?: Transaction<Database>): Promise<number> {
    if (Array.isArray(ids) && ids.length === 0) return 0;
    const now = this.clock().toISOString();
    const r = await (trx ?? this.db.kysely)
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        run_at: now,
        lease_until: null,
        locked_by: null,
        waiting_since: null,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'failed')
      .where('id', 'in', ids)
      .executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    if (n > 0) this.wake();
    return n;
  }

  /** Counts jobs still to do, for health pages. */
  async backlog(tenantId: string): Promise<number> {
    const r = await this.db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Back in the queue after `delayMs`, with the reason kept as the job's last error (and `extra` set with it). */
  private async requeue(
    id: string,
    workerId: string,
    delayMs: number,
    error: { code: string; message: string },
    extra: UpdateObject<Database, 'jobs'>,
  ): Promise<void> {
    await this.finish(id, workerId, {
      status: 'queued',
      lease_until: null,
      locked_by: null,
      run_at: new Date(this.clock().getTime() + delayMs).toISOString(),
      last_error: error.message.slice(0, 2000),
      last_error_code: error.code,
      ...extra,
    });
  }

  /** Records a leased job's outcome; a job another worker holds now (its lease ran out) is left alone. */
  private async finish(id: string, workerId: string, set: UpdateObject<Database, 'jobs'>): Promise<void> {
    await this.db.kysely
      .updateTable('jobs')
      .set({ ...set, updated_at: this.clock().toISOString() })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .execute();
  }
}
