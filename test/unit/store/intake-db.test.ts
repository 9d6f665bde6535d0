import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { IntakeCommitter, type IntakeDeps } from '../../../bot/src/mail/intake.js';
import { type IntakeDb, openIntakeDb } from '../../../bot/src/store/intake-db.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import type { Database } from '../../../bot/src/store/schema.js';
import { acceptedNotification } from '../../helpers/accepted-notification.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const note = acceptedNotification;

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 5));
};

/**
 * Issue 14: the notification intake commits through a connection of its own (store/intake-db.ts). What it must
 * keep: a 202 only once the rows are committed where every other connection reads them, and a busy database
 * delays the commit without stopping the server's event loop or failing it.
 */
describe.each(testEngines())('the intake connection on %s', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-intake-db-'));
  let db: TestDb;
  let intake: IntakeDb;
  let committer: IntakeCommitter;
  let wakes: number;

  beforeEach(async () => {
    db = await createTestDb(engine, { file: join(dir, `${Math.random().toString(16).slice(2)}.db`) });
    intake = openIntakeDb(db, db.url);
    const clock = () => new Date('2026-12-07T09:00:00.000Z');
    const queue = new JobQueue(db, clock);
    wakes = 0;
    queue.onEnqueue(() => wakes++);
    const deps: IntakeDeps = {
      db: intake.db,
      queue: queue.through(intake.db),
      mailboxes: new MailboxRepo(intake.db),
      clock,
      whileBusy: intake.whileBusy,
    };
    committer = new IntakeCommitter(deps);
  });
  afterEach(async () => {
    if (intake.db !== db) await intake.db.close();
    await db.drop();
  });

  const storedJobs = async () =>
    (await db.kysely.selectFrom('jobs').select('dedupe_key').where('kind', '=', JobKind.ingest).execute())
      .map((j) => j.dedupe_key)
      .sort();

  it('is a connection apart from the server’s, and what it commits the other connections read at once', async () => {
    expect(intake.db).not.toBe(db);
    await committer.commit([note('a'), note('b')]);
    await committer.commit([note('c')]);
    // Read through the server's own connection (the worker's is another such), right after the commit resolved.
    expect(await storedJobs()).toEqual(['mail.ingest:mb-1:a', 'mail.ingest:mb-1:b', 'mail.ingest:mb-1:c']);
    // The workers of the queue it writes through were woken.
    expect(wakes).toBeGreaterThan(0);
  });

  it.runIf(engine === 'sqlite')(
    'waits for a write lock held elsewhere without stopping the event loop, then commits',
    async () => {
      // Another connection (as the worker thread's) holds SQLite's one write lock, mid-transaction.
      const other = new SQLite(db.url.slice('sqlite:'.length));
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec(`UPDATE jobs SET attempts = attempts WHERE 0`);
        let settled: 'no' | 'resolved' | 'rejected' = 'no';
        const pending = committer.commit([note('while-locked')]).then(
          () => {
            settled = 'resolved';
          },
          () => {
            settled = 'rejected';
          },
        );
        // The server's timers keep running while the commit waits, and the commit has neither failed nor landed.
        await turns(6);
        expect(settled).toBe('no');
        expect(await storedJobs()).toEqual([]);
        other.exec('COMMIT');
        await pending;
        expect(settled).toBe('resolved');
        expect(await storedJobs()).toEqual(['mail.ingest:mb-1:while-locked']);
      } finally {
        other.close();
      }
    },
  );

  it.runIf(engine === 'sqlite')('leaves checkpoints to the other connections and never sleeps on a lock', async () => {
    const pragma = async (k: Kysely<Database>, name: string) =>
      Object.values((await sql.raw(`PRAGMA ${name}`).execute(k)).rows[0] as object)[0];
    expect(await pragma(intake.db.kysely, 'wal_autocheckpoint')).toBe(0);
    expect(await pragma(intake.db.kysely, 'busy_timeout')).toBe(0);
    // The server's connection (and the worker's, opened the same way) keeps SQLite's automatic checkpoint.
    expect(await pragma(db.kysely, 'wal_autocheckpoint')).toBe(1000);
    expect(await pragma(db.kysely, 'journal_mode')).toBe('wal');
  });

  it.runIf(engine === 'postgres')(
    'commits while every connection of the server’s pool is taken by a long transaction',
    async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let taken = 0;
      const allTaken = new Promise<void>((resolve) => {
        // The server's pool holds 10 (store/db.ts): the Dashboard and card clicks may take them all.
        for (let i = 0; i < 10; i++)
          void db.kysely.transaction().execute(async (trx) => {
            await trx.selectFrom('jobs').select('id').limit(1).execute();
            if (++taken === 10) resolve();
            await gate;
          });
      });
      await allTaken;
      try {
        await committer.commit([note('pool-busy')]);
      } finally {
        release();
      }
      expect(await storedJobs()).toEqual(['mail.ingest:mb-1:pool-busy']);
    },
  );

  it.runIf(engine === 'sqlite')(
    'shares the one connection of an in-memory database, which lives on it alone',
    async () => {
      const memory = await createTestDb('sqlite');
      try {
        expect(openIntakeDb(memory, memory.url).db).toBe(memory);
      } finally {
        await memory.drop();
      }
    },
  );

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
