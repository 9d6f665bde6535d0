import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Deferral, MailroomError } from '../../../bot/src/core/errors.js';
import { type Job, JobQueue } from '../../../bot/src/jobs/queue.js';
import { JobRegistry } from '../../../bot/src/jobs/registry.js';
import { Worker } from '../../../bot/src/jobs/worker.js';
import { createLogger } from '../../../bot/src/log.js';

const anything = z.unknown();

import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job handler that holds every job it runs until `release`, counting how many run at once. */
function holdingHandler() {
  let open: () => void = () => undefined;
  const held = new Promise<void>((r) => {
    open = r;
  });
  const count = { running: 0, most: 0 };
  return {
    count,
    release: () => open(),
    handle: async () => {
      count.running++;
      count.most = Math.max(count.most, count.running);
      await held;
      count.running--;
    },
  };
}

describe.each(testEngines())('Worker on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it('keeps a long job to itself: a live worker renews the lease, so no other worker runs the job again', async () => {
    const queue = new JobQueue(db);
    const runs: string[] = [];
    const slow = async () => {
      runs.push('run');
      // Four leases long, as a card post waiting on Teams' pacing can be.
      await sleep(1_200);
    };
    const opts = { leaseMs: 300, pollMs: 40, concurrency: 2 };
    const registry = new JobRegistry({ slow: { payload: anything, handle: slow } });
    const a = new Worker(queue, registry, createLogger('silent'), opts);
    const b = new Worker(queue, registry, createLogger('silent'), opts);
    await queue.enqueue({ tenantId: 't1', kind: 'slow', payload: {} });
    a.start();
    await sleep(100);
    b.start();
    await sleep(1_600);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs).toEqual(['run']);
    expect(await queue.backlog('t1')).toBe(0);
  });

  it('logs an expected wait in one line, with its reason and no stack; a defect fails at once, keeping its stack', async () => {
    const queue = new JobQueue(db);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) });
    const attempts = new Map<string, number>();
    const flaky = async (job: Job) => {
      const n = (attempts.get(job.id) ?? 0) + 1;
      attempts.set(job.id, n);
      if (n > 1) return;
      if ((job.payload as { defect?: boolean }).defect) throw new TypeError('x is undefined');
      throw new MailroomError('teams_unavailable', 'the card is not posted yet');
    };
    const registry = new JobRegistry({ flaky: { payload: anything, handle: flaky } }, { baseMs: 10, maxMs: 20 });
    const worker = new Worker(queue, registry, log, { pollMs: 20 });
    await queue.enqueue({ tenantId: 't1', kind: 'flaky', payload: {} });
    const defectId = await queue.enqueue({ tenantId: 't1', kind: 'flaky', payload: { defect: true } });
    worker.start();
    for (let i = 0; i < 100 && (await queue.backlog('t1')) > 0; i++) await sleep(20);
    await worker.stop();
    const retries = lines.filter((l) => l.msg === 'job failed; retrying later');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ code: 'teams_unavailable', reason: 'the card is not posted yet', level: 40 });
    expect(JSON.stringify(retries[0])).not.toContain('stack');
    // The catalogue says `internal` is not retryable: trying a defect again fails the same way.
    const failed = lines.filter((l) => l.msg === 'job failed for good');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'internal', level: 50 });
    expect((failed[0]?.err as { stack?: string } | undefined)?.stack).toContain('TypeError: x is undefined');
    expect(attempts.get(String(defectId))).toBe(1);
    const row = await db.kysely.selectFrom('jobs').where('id', '=', String(defectId)).selectAll().executeTakeFirst();
    expect(row).toMatchObject({ status: 'failed', last_error_code: 'internal', last_error: 'x is undefined' });
  });

  it('marks jobs that finish together done in one write, and each of them done', async () => {
    const marks: string[][] = [];
    const queue = new (class extends JobQueue {
      override async completeMany(ids: string[], workerId: string) {
        marks.push(ids);
        await super.completeMany(ids, workerId);
      }
    })(db);
    // Eight quick jobs leased together finish in the same turn of the event loop.
    const registry = new JobRegistry({ quick: { payload: anything, handle: async () => undefined } });
    const worker = new Worker(queue, registry, createLogger('silent'), { concurrency: 8 });
    for (let i = 0; i < 8; i++) await queue.enqueue({ tenantId: 't1', kind: 'quick', payload: i });
    expect(await worker.drain()).toBe(8);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toHaveLength(8);
    expect(await queue.backlog('t1')).toBe(0);
  });

  it('runs at most the limit of jobs at once while one is set, and up to its concurrency again once lifted', async () => {
    const queue = new JobQueue(db);
    const slow = holdingHandler();
    const registry = new JobRegistry({ slow: { payload: anything, handle: slow.handle } });
    const worker = new Worker(queue, registry, createLogger('silent'), { concurrency: 4, leaseBatch: 1 });
    for (let i = 0; i < 8; i++) await queue.enqueue({ tenantId: 't1', kind: 'slow', payload: i });
    worker.limit(1);
    worker.start();
    await vi.waitFor(() => expect(slow.count.running).toBe(1));
    await sleep(100);
    expect(slow.count.most).toBe(1);
    // Lifted: the free slots fill at once, without waiting for the job in hand.
    worker.limit(undefined);
    await vi.waitFor(() => expect(slow.count.running).toBe(4));
    slow.release();
    await vi.waitFor(async () => expect(await queue.backlog('t1')).toBe(0));
    await worker.stop();
    expect(slow.count.most).toBe(4);
  });

  it('runs at most lastMax jobs of the last kinds at once, so the other kinds keep their slots', async () => {
    const queue = new JobQueue(db);
    const lookup = holdingHandler();
    const cards: number[] = [];
    const registry = new JobRegistry({
      lookup: { payload: anything, handle: lookup.handle },
      card: { payload: anything, handle: async (job) => void cards.push(Number(job.payload)) },
    });
    const order = { first: ['card'], last: ['lookup'] };
    const worker = new Worker(queue, registry, createLogger('silent'), { concurrency: 8, lastMax: 2, order });
    for (let i = 0; i < 6; i++) await queue.enqueue({ tenantId: 't1', kind: 'lookup', payload: i });
    worker.start();
    // Two lookups hold their slots; the four others wait though six slots are free, and cards still run.
    await vi.waitFor(() => expect(lookup.count.running).toBe(2));
    for (let i = 0; i < 3; i++) await queue.enqueue({ tenantId: 't1', kind: 'card', payload: i });
    await vi.waitFor(() => expect(cards.sort()).toEqual([0, 1, 2]));
    expect(lookup.count.running).toBe(2);
    lookup.release();
    await vi.waitFor(async () => expect(await queue.backlog('t1')).toBe(0));
    await worker.stop();
    expect(lookup.count.most).toBe(2);
  });

  it('runs a job that waits for another again without spending attempts, and fails it once it waited too long', async () => {
    const queue = new JobQueue(db);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) });
    const seen = new Map<string, number[]>();
    let ready = false;
    const waits = (forever: boolean) => async (job: Job) => {
      seen.set(job.kind, [...(seen.get(job.kind) ?? []), job.attempts]);
      if (forever || !ready) throw new Deferral('card_waiting', 'the first card is not there yet', 'card_wait_expired');
    };
    const registry = new JobRegistry(
      {
        reply: { payload: anything, handle: waits(false) },
        orphan: { payload: anything, handle: waits(true), retry: { maxWaitMs: 300 } },
      },
      { baseMs: 10, maxMs: 40, maxAttempts: 2 },
    );
    const worker = new Worker(queue, registry, log, { pollMs: 10 });
    const replyId = await queue.enqueue({ tenantId: 't1', kind: 'reply', payload: {} });
    const orphanId = await queue.enqueue({ tenantId: 't1', kind: 'orphan', payload: {} });
    worker.start();
    // More looks than the kind has attempts: a failure would have given up after two.
    for (let i = 0; i < 500 && (seen.get('reply')?.length ?? 0) < 5; i++) await sleep(10);
    ready = true;
    for (let i = 0; i < 500 && (await queue.backlog('t1')) > 0; i++) await sleep(10);
    await worker.stop();
    expect(seen.get('reply')?.length).toBeGreaterThan(5);
    expect(new Set(seen.get('reply'))).toEqual(new Set([1]));
    expect(new Set(seen.get('orphan'))).toEqual(new Set([1]));
    const rows = await db.kysely.selectFrom('jobs').selectAll().execute();
    const row = (id: string | null) => rows.find((r) => r.id === id);
    expect(row(replyId)).toMatchObject({ status: 'done', attempts: 1, last_error_code: 'card_waiting' });
    expect(row(replyId)?.waiting_since).not.toBeNull();
    expect(row(orphanId)).toMatchObject({ status: 'failed', attempts: 1, last_error_code: 'card_wait_expired' });
    expect(row(orphanId)?.last_error).toMatch(/^Gave up after waiting 0 min: the first card is not there yet$/);
    // One line as each wait starts (each further look logs at debug), and an error when one gives up.
    const started = lines.filter((l) => String(l.msg).startsWith('job waits for another job'));
    expect(started.map((l) => [l.kind, l.level, l.code]).sort()).toEqual([
      ['orphan', 30, 'card_waiting'],
      ['reply', 30, 'card_waiting'],
    ]);
    const gaveUp = lines.filter((l) => l.msg === 'job waited too long for another job; failed for good');
    expect(gaveUp).toEqual([expect.objectContaining({ kind: 'orphan', level: 50, code: 'card_wait_expired' })]);
    expect(lines.filter((l) => l.msg === 'job failed; retrying later')).toEqual([]);
  });

  it('fails a job whose payload its schema refuses at once, and keeps the reason in the table', async () => {
    const queue = new JobQueue(db);
    const runs: unknown[] = [];
    const registry = new JobRegistry({
      typed: { payload: z.object({ emailId: z.string() }), handle: async (_j, p) => void runs.push(p) },
    });
    const worker = new Worker(queue, registry, createLogger('silent'), { pollMs: 20 });
    const id = await queue.enqueue({ tenantId: 't1', kind: 'typed', payload: { emailid: 'e1' } });
    await worker.drain();
    const row = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error', 'last_error_code'])
      .where('id', '=', id ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error_code: 'bad_request' });
    expect(row.last_error).toContain('emailId');
    expect(runs).toEqual([]);
  });
});
