import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../bot/src/config.js';
import { ingestJob } from '../../../bot/src/jobs/kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { type Db, openDatabase } from '../../../bot/src/store/db.js';
import { migrate } from '../../../bot/src/store/migrate.js';
import { startWorkerThread, type WorkerThreadHost } from '../../../bot/src/worker-host.js';

describe('WORKER_MODE=thread: the job worker on a thread of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-thread-'));
  const url = `sqlite:${join(dir, 'mailroom.db')}`;
  let db: Db;
  let queue: JobQueue;
  let host: WorkerThreadHost | undefined;

  beforeAll(async () => {
    db = openDatabase(url);
    await migrate(db);
    queue = new JobQueue(db);
  });
  afterAll(async () => {
    await host?.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the jobs this process enqueues, woken at once, and stops with nothing left running', async () => {
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', WORKER_MODE: 'thread' });
    expect(config.workerMode).toBe('thread');
    host = await startWorkerThread(config, {}, queue, pino({ level: 'silent' }));
    // An ingest for a mailbox nobody watches: the handler finds nothing to do, and the job is done.
    const added = await queue.enqueueMany([
      ingestJob('t1', { mailboxId: 'mb-gone', messageId: 'm1' }),
      ingestJob('t1', { mailboxId: 'mb-gone', messageId: 'm2' }),
      ingestJob('t1', { mailboxId: 'mb-gone', messageId: 'm1' }),
    ]);
    expect(added).toBe(2);
    const statuses = async () =>
      (await db.kysely.selectFrom('jobs').select('status').where('kind', '=', 'mail.ingest').execute()).map(
        (r) => r.status,
      );
    await vi.waitFor(async () => expect(await statuses()).toEqual(['done', 'done']), {
      timeout: 60_000,
      interval: 100,
    });
    await host.stop();
    host = undefined;
    expect(await queue.backlog('t1')).toBe(0);
  });

  it('keeps running jobs, one at a time, while Graph’s notifications flood in, and at full pace once they ease', async () => {
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', WORKER_MODE: 'thread' });
    host = await startWorkerThread(config, {}, queue, pino({ level: 'silent' }));
    const ingests = (tenant: string) =>
      ['m1', 'm2', 'm3', 'm4'].map((messageId) => ingestJob(tenant, { mailboxId: 'mb-gone', messageId }));
    const done = async (tenant: string) =>
      (
        await db.kysely
          .selectFrom('jobs')
          .select('status')
          .where('tenant_id', '=', tenant)
          .where('status', '=', 'done')
          .execute()
      ).length;
    host.pressure('flood');
    await queue.enqueueMany(ingests('t-flooded'));
    await vi.waitFor(async () => expect(await done('t-flooded')).toBe(4), { timeout: 60_000, interval: 100 });
    host.pressure('calm');
    await queue.enqueueMany(ingests('t-eased'));
    await vi.waitFor(async () => expect(await done('t-eased')).toBe(4), { timeout: 60_000, interval: 100 });
    await host.stop();
    host = undefined;
  });
});
