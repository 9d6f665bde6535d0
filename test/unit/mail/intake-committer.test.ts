import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { cachedLookup, IntakeCommitter, type IntakeDeps } from '../../../bot/src/mail/intake.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { acceptedNotification } from '../../helpers/accepted-notification.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const note = acceptedNotification;

describe.each(testEngines())('IntakeCommitter on %s', (engine) => {
  let db: TestDb;
  let deps: IntakeDeps;
  let inserts: number;
  let now: Date;
  let realEnqueueMany: JobQueue['enqueueMany'];

  beforeEach(async () => {
    db = await createTestDb(engine);
    now = new Date('2026-11-22T10:00:00.000Z');
    const clock = () => now;
    deps = { db, queue: new JobQueue(db, clock), mailboxes: new MailboxRepo(db), clock };
    inserts = 0;
    realEnqueueMany = deps.queue.enqueueMany.bind(deps.queue);
    vi.spyOn(deps.queue, 'enqueueMany').mockImplementation(async (specs, trx) => {
      inserts++;
      return realEnqueueMany(specs, trx);
    });
  });
  afterEach(async () => db.drop());

  const ingestJobs = async () =>
    (await db.kysely.selectFrom('jobs').select('dedupe_key').where('kind', '=', JobKind.ingest).execute())
      .map((j) => j.dedupe_key)
      .sort();

  it('commits the requests that arrive together in a few shared INSERTs, each answered once stored', async () => {
    const committer = new IntakeCommitter(deps);
    const requests = Array.from({ length: 40 }, (_, i) => [note(`m${i}`), note(`m${i}-b`)]);
    await Promise.all(requests.map((items) => committer.commit(items)));
    expect(await ingestJobs()).toHaveLength(80);
    // The first request commits alone; the other 39 arrived while it did, and share one or two more.
    expect(inserts).toBeLessThanOrEqual(3);
    // A lone request later waits for nothing and takes its own transaction.
    await committer.commit([note('late')]);
    expect(await ingestJobs()).toContain('mail.ingest:mb-1:late');
  });

  it('tells how many notifications each commit stored, and nothing of a commit that failed', async () => {
    const stored: number[] = [];
    const committer = new IntakeCommitter(deps, undefined, (n) => stored.push(n));
    await Promise.all(Array.from({ length: 10 }, (_, i) => committer.commit([note(`m${i}`), note(`m${i}-b`)])));
    expect(stored.reduce((a, b) => a + b, 0)).toBe(20);
    stored.length = 0;
    vi.spyOn(deps.queue, 'enqueueMany').mockRejectedValue(new Error('database gone'));
    await expect(committer.commit([note('lost')])).rejects.toThrow('database gone');
    expect(stored).toEqual([]);
  });

  it('stamps the mailbox’s last notification once its jobs are stored, at most once a second', async () => {
    await db.kysely
      .insertInto('mailboxes')
      .values({
        id: 'mb-1',
        tenant_id: 't1',
        address: 'support@contoso.com',
        graph_user_id: 'user-1',
        display_name: 'Support',
        kind: 'shared',
        channel_conversation_id: null,
        channel_name: null,
        team_id: null,
        team_group_id: null,
        watched_by: 'adele',
        active: 1,
        created_at: '2026-11-01T00:00:00.000Z',
        last_notification_at: null,
        last_catchup_at: null,
      })
      .execute();
    const stamp = async () =>
      (
        await db.kysely
          .selectFrom('mailboxes')
          .select('last_notification_at')
          .where('id', '=', 'mb-1')
          .executeTakeFirst()
      )?.last_notification_at;
    const committer = new IntakeCommitter(deps);
    const commit = async (id: string) => {
      await committer.commit([note(id)]);
      await committer.stamped();
    };
    await commit('one');
    expect(await stamp()).toBe('2026-11-22T10:00:00.000Z');
    now = new Date('2026-11-22T10:00:00.500Z');
    await commit('two');
    expect(await stamp()).toBe('2026-11-22T10:00:00.000Z');
    now = new Date('2026-11-22T10:00:01.000Z');
    await commit('three');
    expect(await stamp()).toBe('2026-11-22T10:00:01.000Z');
    expect(await ingestJobs()).toHaveLength(3);
  });

  it('answers once the jobs are stored, without waiting for the health stamp', async () => {
    let release = () => {};
    const stamps: string[] = [];
    vi.spyOn(deps.mailboxes, 'touchNotification').mockImplementation(async (_tenant, mailboxId) => {
      await new Promise<void>((r) => {
        release = r;
      });
      stamps.push(mailboxId);
    });
    const committer = new IntakeCommitter(deps);
    await committer.commit([note('held')]);
    expect(await ingestJobs()).toEqual(['mail.ingest:mb-1:held']);
    expect(stamps).toEqual([]);
    release();
    await committer.stamped();
    expect(stamps).toEqual(['mb-1']);
  });

  it('keeps one failing request from failing the others it shared an INSERT with', async () => {
    vi.spyOn(deps.queue, 'enqueueMany').mockImplementation(async (specs, trx) => {
      if (specs.some((s) => (s.payload as { messageId: string }).messageId === 'poison')) throw new Error('disk full');
      return realEnqueueMany(specs, trx);
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

describe('IntakeCommitter when the database stays locked', () => {
  it('answers every request of the batch at once, without trying each alone', async () => {
    let inserts = 0;
    const queue = {
      enqueueMany: async () => {
        inserts++;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      },
    } as unknown as JobQueue;
    const committer = new IntakeCommitter({
      db: {} as never,
      queue,
      mailboxes: {} as MailboxRepo,
      clock: () => new Date(),
    });
    const results = await Promise.allSettled([
      committer.commit([note('first')]),
      committer.commit([note('a')]),
      committer.commit([note('b')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // The first alone, then the two that waited for it, shared: no third and fourth INSERT one by one.
    expect(inserts).toBe(2);
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

  it('asks once for requests that miss together, and again after a failed lookup', async () => {
    let asked = 0;
    let fail = true;
    const repo = {
      subscription: async (id: string) => {
        asked++;
        await Promise.resolve();
        if (fail) throw new Error('connection lost');
        return {
          id,
          tenantId: 't1',
          mailboxId: 'mb-1',
          clientState: 's',
          resource: '',
          expiresAt: '',
          status: 'active',
        };
      },
    } as unknown as MailboxRepo;
    const lookup = cachedLookup(repo);
    const first = await Promise.allSettled(Array.from({ length: 50 }, () => lookup('live')));
    expect(first.every((r) => r.status === 'rejected')).toBe(true);
    expect(asked).toBe(1);
    fail = false;
    const second = await Promise.all(Array.from({ length: 50 }, () => lookup('live')));
    expect(second.every((v) => v?.mailboxId === 'mb-1')).toBe(true);
    expect(asked).toBe(2);
  });
});
