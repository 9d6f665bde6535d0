import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASE_ORDER } from '../../../bot/src/compose.js';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

/** Every kind these tests queue: the worker names its registry's kinds, and the lease then reads each kind apart. */
const KINDS = ['ingest', 'post', 'suggest', 'k', 'card', ...Object.values(JobKind)];

describe.each(
  testEngines().flatMap((engine) => [
    { engine, named: false, label: `${engine}, any kind` },
    { engine, named: true, label: `${engine}, kinds named` },
  ]),
)('JobQueue on $label', ({ engine, named }) => {
  let db: TestDb;
  let now: Date;
  let queue: JobQueue;
  const lease = (workerId: string, opts: Parameters<JobQueue['lease']>[1]) =>
    queue.lease(workerId, named ? { ...opts, kinds: KINDS } : opts);

  beforeEach(async () => {
    db = await createTestDb(engine);
    now = new Date('2026-11-22T10:00:00.000Z');
    queue = new JobQueue(db, () => now);
  });
  afterEach(async () => db.drop());

  it('hands a job to one worker only, and again after its lease runs out', async () => {
    await queue.enqueue({ tenantId: 't1', kind: 'ingest', payload: { n: 1 } });
    const a = await lease('a', { limit: 10, leaseMs: 1000 });
    const b = await lease('b', { limit: 10, leaseMs: 1000 });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(0);
    now = new Date(now.getTime() + 1500);
    const c = await lease('c', { limit: 10, leaseMs: 1000 });
    expect(c.map((j) => j.payload)).toEqual([{ n: 1 }]);
    expect(c[0]?.attempts).toBe(2);
    // The dead worker's late "done" does not override the new owner.
    await queue.complete(a[0]?.id ?? '', 'a');
    expect(await queue.backlog('t1')).toBe(1);
    await queue.complete(c[0]?.id ?? '', 'c');
    expect(await queue.backlog('t1')).toBe(0);
  });

  it('takes the first kinds first and the last kinds last, each oldest first', async () => {
    const at = (s: number) => new Date(now.getTime() - 10_000 + s * 1000);
    const add = (kind: string, n: number) => queue.enqueue({ tenantId: 't1', kind, payload: n, runAt: at(n) });
    await add('suggest', 1);
    await add('ingest', 2);
    await add('post', 3);
    await add('ingest', 4);
    await add('post', 5);
    const order = { first: ['post'], last: ['suggest'] };
    const payloads = (jobs: Array<{ payload: unknown }>) => jobs.map((j) => Number(j.payload)).sort((x, y) => x - y);
    expect(payloads(await lease('w', { limit: 2, leaseMs: 1000, order }))).toEqual([3, 5]);
    expect(payloads(await lease('w', { limit: 2, leaseMs: 1000, order }))).toEqual([2, 4]);
    expect(payloads(await lease('w', { limit: 2, leaseMs: 1000, order }))).toEqual([1]);
    // Without an order, oldest first, whatever the kind.
    await add('post', 6);
    await add('suggest', 0);
    await add('ingest', 7);
    expect(payloads(await lease('w', { limit: 2, leaseMs: 1000 }))).toEqual([0, 6]);
  });

  it("leases Mailroom's burst in its order: cards, then ingests, then autopilot checks and suggestions", async () => {
    const at = (s: number) => new Date(now.getTime() - 10_000 + s * 1000);
    const add = (kind: string, n: number) => queue.enqueue({ tenantId: 't1', kind, payload: n, runAt: at(n) });
    await add(JobKind.suggest, 0);
    await add(JobKind.autopilotApply, 1);
    await add(JobKind.ingest, 2);
    await add(JobKind.postCard, 3);
    await add(JobKind.autopilotApply, 4);
    await add(JobKind.ingest, 5);
    const taken: number[] = [];
    for (let i = 0; i < 7; i++) {
      for (const j of await lease('w', { limit: 1, leaseMs: 1000, order: LEASE_ORDER })) {
        taken.push(Number(j.payload));
      }
    }
    expect(taken).toEqual([3, 2, 5, 0, 1, 4]);
  });

  it('takes at most lastLimit jobs of the last kinds together, the oldest of them, and none at 0', async () => {
    const at = (s: number) => new Date(now.getTime() - 10_000 + s * 1000);
    const add = (kind: string, n: number) => queue.enqueue({ tenantId: 't1', kind, payload: n, runAt: at(n) });
    for (const [kind, n] of [
      [JobKind.suggest, 0],
      [JobKind.autopilotApply, 1],
      [JobKind.suggest, 2],
      [JobKind.autopilotApply, 3],
      [JobKind.suggest, 4],
      [JobKind.postCard, 5],
      [JobKind.ingest, 6],
    ] as const) {
      await add(kind, n);
    }
    const payloads = (jobs: Array<{ payload: unknown }>) => jobs.map((j) => Number(j.payload)).sort((x, y) => x - y);
    const opts = { limit: 10, leaseMs: 1000, order: LEASE_ORDER, kinds: KINDS };
    // The cap holds only where the kinds are named, as the worker names them.
    expect(payloads(await queue.lease('w', { ...opts, lastLimit: 0 }))).toEqual([5, 6]);
    expect(payloads(await queue.lease('w', { ...opts, lastLimit: 3 }))).toEqual([0, 1, 2]);
    expect(payloads(await queue.lease('w', { ...opts, lastLimit: 3 }))).toEqual([3, 4]);
  });

  it("marks a worker's finished jobs done in one call, and leaves a job another worker took over alone", async () => {
    for (let i = 0; i < 3; i++) await queue.enqueue({ tenantId: 't1', kind: 'k', payload: i });
    const mine = await lease('a', { limit: 2, leaseMs: 1000 });
    const theirs = await lease('b', { limit: 1, leaseMs: 1000 });
    await queue.completeMany(
      [...mine, ...theirs].map((j) => j.id),
      'a',
    );
    const rows = await db.kysely.selectFrom('jobs').select(['id', 'status', 'locked_by']).execute();
    const status = new Map(rows.map((r) => [r.id, `${r.status}:${r.locked_by}`]));
    expect(mine.map((j) => status.get(j.id))).toEqual(['done:a', 'done:a']);
    expect(theirs.map((j) => status.get(j.id))).toEqual(['running:b']);
    expect(await queue.backlog('t1')).toBe(1);
  });

  it('coalesces a dedupe key while the job waits, and frees it once taken', async () => {
    expect(await queue.enqueue({ tenantId: 't1', kind: 'card', payload: 1, dedupeKey: 'card:e1' })).not.toBeNull();
    expect(await queue.enqueue({ tenantId: 't1', kind: 'card', payload: 2, dedupeKey: 'card:e1' })).toBeNull();
    await lease('w', { limit: 10, leaseMs: 1000 });
    expect(await queue.enqueue({ tenantId: 't1', kind: 'card', payload: 3, dedupeKey: 'card:e1' })).not.toBeNull();
  });

  it('waits for run_at, and retries later with the reason kept', async () => {
    await queue.enqueue({ tenantId: 't1', kind: 'k', payload: null, runAt: new Date(now.getTime() + 5000) });
    expect(await lease('w', { limit: 1, leaseMs: 1000 })).toHaveLength(0);
    now = new Date(now.getTime() + 5000);
    const [job] = await lease('w', { limit: 1, leaseMs: 1000 });
    expect(job).toBeDefined();
    await queue.retryLater(job?.id ?? '', 'w', 2000, { code: 'teams_throttled', message: '429' });
    expect(await lease('w', { limit: 1, leaseMs: 1000 })).toHaveLength(0);
    now = new Date(now.getTime() + 2000);
    expect(await lease('w', { limit: 1, leaseMs: 1000 })).toHaveLength(1);
  });

  it('never hands one job to two workers leasing at once', async () => {
    for (let i = 0; i < 50; i++) await queue.enqueue({ tenantId: 't1', kind: 'k', payload: i });
    const leases = await Promise.all(
      Array.from({ length: 5 }, (_, i) => lease(`w${i}`, { limit: 20, leaseMs: 10_000 })),
    );
    const ids = leases.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(50);
  });

  it('defers a job without spending its attempt, keeps when it first waited and why, and a failure still counts', async () => {
    const id = (await queue.enqueue({ tenantId: 't1', kind: 'card.post', payload: { emailId: 'e2' } })) ?? '';
    const since = now.toISOString();
    const waiting = { code: 'card_waiting', message: 'the first email of this conversation (e1) has no card yet' };
    for (let round = 0; round < 3; round++) {
      const [job] = await queue.lease('w', { limit: 1, leaseMs: 1000 });
      expect(job).toMatchObject({ id, attempts: 1, waitingSince: round === 0 ? null : since });
      await queue.defer(id, 'w', 500, waiting);
      expect(await queue.lease('w', { limit: 1, leaseMs: 1000 })).toHaveLength(0);
      now = new Date(now.getTime() + 500);
    }
    const row = await db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 0, waiting_since: since, last_error_code: 'card_waiting' });
    expect(row.last_error).toBe(waiting.message);
    const [job] = await queue.lease('w', { limit: 1, leaseMs: 1000 });
    await queue.retryLater(id, 'w', 0, { code: 'teams_throttled', message: '429' });
    expect(job?.attempts).toBe(1);
    expect((await queue.lease('w', { limit: 1, leaseMs: 1000 }))[0]).toMatchObject({
      id,
      attempts: 2,
      waitingSince: since,
    });
  });

  it('ignores a deferral from a worker that no longer holds the job', async () => {
    const id = (await queue.enqueue({ tenantId: 't1', kind: 'card.post', payload: { emailId: 'e2' } })) ?? '';
    await queue.lease('a', { limit: 1, leaseMs: 1000 });
    now = new Date(now.getTime() + 1500);
    await queue.lease('b', { limit: 1, leaseMs: 1000 });
    await queue.defer(id, 'a', 500, { code: 'card_waiting', message: 'late' });
    const row = await db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'running',
      locked_by: 'b',
      attempts: 2,
      waiting_since: null,
      last_error: null,
    });
  });

  it('says whether a job of a kind and payload is still to run, for its tenant only', async () => {
    const post = (emailId: string) => ({ tenantId: 't1', kind: 'card.post', payload: { emailId } });
    const pending = (emailId: string, tenantId = 't1', kind = 'card.post') =>
      queue.pending(tenantId, kind, { emailId });
    const id = (await queue.enqueue(post('e1'))) ?? '';
    expect(await pending('e1')).toBe(true);
    expect(await pending('e1', 't2')).toBe(false);
    expect(await pending('e1', 't1', 'card.update')).toBe(false);
    // The payload is matched whole: e1 is no prefix of e10.
    expect(await pending('e')).toBe(false);
    await queue.enqueue(post('e10'));
    await queue.lease('w', { limit: 2, leaseMs: 1000 });
    expect(await pending('e1')).toBe(true);
    await queue.retryLater(id, 'w', 1000, { code: 'teams_throttled', message: '429' });
    expect(await pending('e1')).toBe(true);
    now = new Date(now.getTime() + 1000);
    await queue.lease('w', { limit: 1, leaseMs: 1000 });
    await queue.fail(id, 'w', { code: 'teams_error', message: '403' });
    expect(await pending('e1')).toBe(false);
    const done = (await queue.enqueue(post('e3'))) ?? '';
    await queue.lease('w', { limit: 1, leaseMs: 1000 });
    await queue.complete(done, 'w');
    expect(await pending('e3')).toBe(false);
    expect(await pending('e10')).toBe(true);
    expect(await pending('never-enqueued')).toBe(false);
  });

  /** A job of tenant t1 (or `tenantId`) that ran and failed for good. */
  async function failedJob(payload: unknown, tenantId = 't1'): Promise<string> {
    const id =
      (await queue.enqueue({ tenantId, kind: 'card.post', payload, dedupeKey: `post:${String(payload)}` })) ?? '';
    await queue.lease('w', { limit: 1, leaseMs: 1000 });
    await queue.defer(id, 'w', 0, { code: 'card_waiting', message: 'waited' });
    await queue.lease('w', { limit: 1, leaseMs: 1000 });
    await queue.fail(id, 'w', { code: 'teams_error', message: '403' });
    return id;
  }
  const failedIds = (tenantId: string) =>
    db.kysely.selectFrom('jobs').select('id').where('tenant_id', '=', tenantId).where('status', '=', 'failed');

  it('queues failed jobs afresh when a person asks: due now, every attempt back, no lease or wait', async () => {
    const a = await failedJob(1);
    const b = await failedJob(2);
    const other = await failedJob(3, 't2');
    const running = (await queue.enqueue({ tenantId: 't1', kind: 'card.post', payload: 4 })) ?? '';
    await queue.lease('w2', { limit: 1, leaseMs: 60_000 });
    now = new Date(now.getTime() + 5000);

    // Only the tenant's failed jobs among those named: not another tenant's, not a running one.
    expect(await queue.requeueFailed('t1', [a, b, other, running])).toBe(2);
    const rows = await db.kysely.selectFrom('jobs').selectAll().orderBy('created_at').execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    for (const id of [a, b]) {
      expect(byId[id]).toMatchObject({
        status: 'queued',
        attempts: 0,
        run_at: now.toISOString(),
        lease_until: null,
        locked_by: null,
        waiting_since: null,
        updated_at: now.toISOString(),
        last_error_code: 'teams_error',
      });
    }
    expect(byId[other]?.status).toBe('failed');
    expect(byId[running]).toMatchObject({ status: 'running', locked_by: 'w2' });
    // Done once: asking again changes nothing; an empty list is no query at all.
    expect(await queue.requeueFailed('t1', [a, b])).toBe(0);
    expect(await queue.requeueFailed('t1', [])).toBe(0);
    const again = await lease('w3', { limit: 10, leaseMs: 1000 });
    expect(again.map((j) => [j.id, j.attempts]).sort()).toEqual(
      [
        [a, 1],
        [b, 1],
      ].sort(),
    );
  });

  it('wakes the workers when it queued something, and only then', async () => {
    let woken = 0;
    queue.onEnqueue(() => woken++);
    const a = await failedJob(1);
    woken = 0;
    expect(await queue.requeueFailed('t2', [a])).toBe(0);
    expect(woken).toBe(0);
    expect(await queue.requeueFailed('t1', failedIds('t1'))).toBe(1);
    expect(woken).toBe(1);
  });

  it('queues each failed job once when two ask at the same moment', async () => {
    const ids = [await failedJob(1), await failedJob(2), await failedJob(3)];
    // The first asker holds its rows (in a transaction not yet committed) while the second asks, with a query
    // that read the jobs as failed: the second waits on the first's row locks (PostgreSQL) or its write lock
    // (SQLite), then must find them queued already.
    let second: Promise<number> | undefined;
    const first = await db.kysely.transaction().execute(async (trx) => {
      const n = await queue.requeueFailed('t1', failedIds('t1'), trx);
      second = queue.requeueFailed('t1', failedIds('t1'));
      if (db.engine === 'postgres') {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        const pid = rows[0]?.pid;
        await expect
          .poll(async () => {
            const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
              where ${pid}::int = any(pg_blocking_pids(pid))`.execute(db.kysely);
            return r.rows[0]?.n;
          })
          .toBe(1);
      }
      return n;
    });
    expect([first, await second]).toEqual([3, 0]);
    const rows = await db.kysely.selectFrom('jobs').select(['id', 'status', 'attempts']).execute();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['queued', 0]));
    // And two at once without a held transaction: together they queue each job once.
    await db.kysely.updateTable('jobs').set({ status: 'failed' }).execute();
    const both = await Promise.all([queue.requeueFailed('t1', failedIds('t1')), queue.requeueFailed('t1', ids)]);
    expect(both[0] + both[1]).toBe(3);
  });
});
