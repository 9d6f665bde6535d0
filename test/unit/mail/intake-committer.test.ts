import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { cachedLookup, IntakeCommitter, type IntakeDeps } from '../../../bot/src/mail/intake.js';
import type { AcceptedNotification } from '../../../bot/src/mail/notifications.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const note = (messageId: string): AcceptedNotification => ({
  subscriptionId: 'sub-1',
  tenantId: 't1',
  mailboxId: 'mb-1',
  userId: 'user-1',
  messageId,
  resource: `Users/user-1/Messages/${messageId}`,
});

describe.each(testEngines())('IntakeCommitter on %s', (engine) => {
  let db: TestDb;
  let deps: IntakeDeps;
  let transactions: number;

  beforeEach(async () => {
    db = await createTestDb(engine);
    const clock = () => new Date('2026-11-22T10:00:00.000Z');
    deps = { db, queue: new JobQueue(db, clock), mailboxes: new MailboxRepo(db), clock };
    transactions = 0;
    const open = db.kysely.transaction.bind(db.kysely);
    vi.spyOn(db.kysely, 'transaction').mockImplementation(() => {
      transactions++;
      return open();
    });
  });
  afterEach(async () => db.drop());

  const ingestJobs = async () =>
    (await db.kysely.selectFrom('jobs').select('dedupe_key').where('kind', '=', JobKind.ingest).execute())
      .map((j) => j.dedupe_key)
      .sort();

  it('commits the requests that arrive together in a few shared transactions, each answered once stored', async () => {
    const committer = new IntakeCommitter(deps);
    const requests = Array.from({ length: 40 }, (_, i) => [note(`m${i}`), note(`m${i}-b`)]);
    await Promise.all(requests.map((items) => committer.commit(items)));
    expect(await ingestJobs()).toHaveLength(80);
    // The first request commits alone; the other 39 arrived while it did, and share one or two more.
    expect(transactions).toBeLessThanOrEqual(3);
    // A lone request later waits for nothing and takes its own transaction.
    await committer.commit([note('late')]);
    expect(await ingestJobs()).toContain('mail.ingest:mb-1:late');
  });

  it('keeps one failing request from failing the others it shared a transaction with', async () => {
    const enqueueMany = deps.queue.enqueueMany.bind(deps.queue);
    vi.spyOn(deps.queue, 'enqueueMany').mockImplementation(async (specs, trx) => {
      if (specs.some((s) => (s.payload as { messageId: string }).messageId === 'poison')) throw new Error('disk full');
      return enqueueMany(specs, trx);
    });
    const committer = new IntakeCommitter(deps);
    const results = await Promise.allSettled([
      committer.commit([note('first')]),
      committer.commit([note('a')]),
      committer.commit([note('poison')]),
      committer.commit([note('b')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await ingestJobs()).toEqual(['mail.ingest:mb-1:a', 'mail.ingest:mb-1:b', 'mail.ingest:mb-1:first']);
  });
});

describe('cachedLookup', () => {
  it('asks the database once per live subscription, and again for one it did not find', async () => {
    const asked: string[] = [];
    const repo = {
      subscription: async (id: string) => {
        asked.push(id);
        return id === 'live'
          ? { id, tenantId: 't1', mailboxId: 'mb-1', clientState: 's', resource: '', expiresAt: '', status: 'active' }
          : null;
      },
    } as unknown as MailboxRepo;
    const lookup = cachedLookup(repo);
    for (let i = 0; i < 3; i++) {
      expect(await lookup('live')).toEqual({ tenantId: 't1', mailboxId: 'mb-1', clientState: 's' });
      expect(await lookup('gone')).toBeNull();
    }
    expect(asked).toEqual(['live', 'gone', 'gone', 'gone']);
  });
});
