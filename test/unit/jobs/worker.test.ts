import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { Worker } from '../../../bot/src/jobs/worker.js';
import { createLogger } from '../../../bot/src/log.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    const a = new Worker(queue, createLogger('silent'), opts).register('slow', slow);
    const b = new Worker(queue, createLogger('silent'), opts).register('slow', slow);
    await queue.enqueue({ tenantId: 't1', kind: 'slow', payload: {} });
    a.start();
    await sleep(100);
    b.start();
    await sleep(1_600);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs).toEqual(['run']);
    expect(await queue.backlog('t1')).toBe(0);
  });
});
