import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../bot/src/store/schema.js';
import type { TabIdentity } from '../../../bot/src/tab-api/identity.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import {
  ADELE,
  insertEmailJob,
  insertMailbox,
  listedMailboxes,
  minutesAgo,
  OTHER,
  SEED_NOW,
  seedDashboard,
  T1,
  T2,
} from '../../integration/tab-api/seed.js';

const NOW = SEED_NOW;
const ago = (min: number) => minutesAgo(min);

interface Card {
  id: string;
  subscription: { backlog: { queued: number; running: number; oldestQueuedAt: string | null } };
  problems: Array<{ code: string }>;
}

/** A job still to run (queued unless `status` says running), as the queue writes it. */
function liveJob(
  db: TestDb,
  id: string,
  tenant: string,
  kind: string,
  payload: object,
  minutesAgo: number,
  status = 'queued',
) {
  return insertEmailJob(db.kysely, id, tenant, '', ago(minutesAgo), {
    kind,
    payload: JSON.stringify(payload),
    status,
    last_error_code: null,
  });
}

describe.each(testEngines())("the mailboxes' job backlog on %s", (engine) => {
  let db: TestDb;
  /** How many statements read the jobs table. */
  let jobReads = 0;

  beforeEach(async () => {
    db = await createTestDb(engine);
    await seedDashboard(db.kysely, NOW);
    // The seed's one job is a queued job of sales@ that names its mailbox; each test adds its own.
    await db.kysely.deleteFrom('jobs').execute();
    jobReads = 0;
  });
  afterEach(async () => db.drop());

  async function mailboxes(who: TabIdentity): Promise<Record<string, Card>> {
    const counted: Kysely<Database> = db.kysely.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"name":"jobs"')) jobReads++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    return listedMailboxes<Card>(counted, db.engine, NOW, who);
  }
  const backlogOf = (m: Card | undefined) => m?.subscription.backlog;
  const none = { queued: 0, running: 0, oldestQueuedAt: null };

  it("counts every job still to run for a mailbox: its own, its emails' and its emails' saves", async () => {
    // support@ (e1, e2; a1 saves e1): an ingest, a catch-up, a card, a suggestion, an autopilot pass, a save.
    await liveJob(db, 'ingest', T1, 'mail.ingest', { mailboxId: 'mb-support', messageId: 'AAMk9' }, 3);
    await liveJob(db, 'catchup', T1, 'mail.catchup', { mailboxId: 'mb-support', reason: 'missed' }, 2, 'running');
    await liveJob(db, 'post', T1, 'card.post', { emailId: 'e1' }, 40);
    await liveJob(db, 'suggest', T1, 'card.suggest', { emailId: 'e2' }, 1, 'running');
    await liveJob(db, 'auto', T1, 'autopilot.apply', { emailId: 'e2' }, 5);
    await liveJob(db, 'save', T1, 'netsuite.save', { associationId: 'a1' }, 20);
    // Not counted: finished and failed jobs, and a job that names the mailbox's id in another field.
    await liveJob(db, 'done', T1, 'card.update', { emailId: 'e1' }, 90, 'done');
    await liveJob(db, 'failed', T1, 'card.post', { emailId: 'e2' }, 95, 'failed');
    await liveJob(db, 'aside', T1, 'mail.catchup', { mailboxId: 'mb-sales', reason: 'mb-support' }, 7);

    const all = await mailboxes(ADELE);
    expect(backlogOf(all['mb-support'])).toEqual({ queued: 4, running: 2, oldestQueuedAt: ago(40) });
    expect(backlogOf(all['mb-sales'])).toEqual({ queued: 1, running: 0, oldestQueuedAt: ago(7) });
    // The oldest waits 40 minutes: the admin is told, with the fix.
    expect(all['mb-support']?.problems.map((p) => p.code)).toContain('backlog_stuck');
  });

  it('shows a mailbox with no jobs as an empty backlog, in the same shape', async () => {
    await liveJob(db, 'post', T1, 'card.post', { emailId: 'e3' }, 2);
    const all = await mailboxes(ADELE);
    expect(backlogOf(all['mb-support'])).toEqual(none);
    expect(all['mb-support']?.problems.map((p) => p.code)).not.toContain('backlog_stuck');
    expect(backlogOf(all['mb-sales'])).toEqual({ queued: 1, running: 0, oldestQueuedAt: ago(2) });
  });

  it("never counts another tenant's jobs, nor a job of ours that names another tenant's email or save", async () => {
    // Fabrikam's tenant queues jobs whose payloads name Contoso's mailbox, emails and save.
    await liveJob(db, 'h-mb', T2, 'mail.catchup', { mailboxId: 'mb-support', reason: 'startup' }, 60);
    await liveJob(db, 'h-email', T2, 'card.post', { emailId: 'e1' }, 60, 'running');
    await liveJob(db, 'h-save', T2, 'netsuite.save', { associationId: 'a1' }, 60);
    // Contoso's jobs that name Fabrikam's email and save.
    await liveJob(db, 'x-email', T1, 'card.update', { emailId: 'x1' }, 60);
    await liveJob(db, 'x-save', T1, 'netsuite.save', { associationId: 'x-a1' }, 60);

    const contoso = await mailboxes(ADELE);
    expect(backlogOf(contoso['mb-support'])).toEqual(none);
    expect(backlogOf(contoso['mb-sales'])).toEqual(none);
    const fabrikam = await mailboxes(OTHER);
    expect(Object.keys(fabrikam)).toEqual(['mb-fab']);
    expect(backlogOf(fabrikam['mb-fab'])).toEqual(none);
  });

  it('reads the jobs in the same few statements however many mailboxes are listed', async () => {
    await liveJob(db, 'post', T1, 'card.post', { emailId: 'e1' }, 3);
    await mailboxes(ADELE);
    const withTwo = jobReads;
    for (const n of [1, 2, 3, 4]) await insertMailbox(db.kysely, T1, `mb-more${n}`, `more${n}@contoso.com`, ago(10));
    jobReads = 0;
    const all = await mailboxes(ADELE);
    expect(Object.keys(all)).toHaveLength(6);
    expect(jobReads).toBe(withTwo);
    expect(backlogOf(all['mb-more1'])).toEqual(none);
  });
});
