import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TabIdentity } from '../../../bot/src/tab-api/identity.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import {
  ADELE,
  insertEmailJob,
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
  failedJobs: { since: string; count: number; byKind: Record<string, number>; newest: unknown };
  problems: Array<{ code: string; severity: string; problem: string; fix: string }>;
}

describe.each(testEngines())('failed email jobs in the mailbox health on %s', (engine) => {
  let db: TestDb;

  beforeEach(async () => {
    db = await createTestDb(engine);
    await seedDashboard(db.kysely, NOW);
  });
  afterEach(async () => db.drop());

  const mailboxes = (who: TabIdentity, team?: string) => listedMailboxes<Card>(db.kysely, db.engine, NOW, who, team);
  const failedProblem = (m: Card | undefined) => m?.problems.find((p) => p.code === 'email_jobs_failed');

  it("shows a card that failed for good on its email's mailbox only, with the catalogue's fix", async () => {
    const before = await mailboxes(ADELE);
    expect(before['mb-support']?.failedJobs).toEqual({ since: ago(24 * 60), count: 0, byKind: {}, newest: null });
    expect(failedProblem(before['mb-support'])).toBeUndefined();

    // e1 and e2 are support@'s emails: the bot was removed from the channel, then an update waited in vain.
    await insertEmailJob(db.kysely, 'f1', T1, 'e1', ago(50), { updated_at: ago(49) });
    const waited = { kind: 'card.update', updated_at: ago(19), last_error_code: 'card_wait_expired' };
    await insertEmailJob(db.kysely, 'f2', T1, 'e2', ago(20), waited);
    // Not counted: a failure of two days ago, a card that posted, one still queued, a save (shown with the saves).
    await insertEmailJob(db.kysely, 'old', T1, 'e2', ago(2 * 24 * 60));
    await insertEmailJob(db.kysely, 'ok', T1, 'e3', ago(5), { status: 'done', last_error_code: null });
    await insertEmailJob(db.kysely, 'q', T1, 'e4', ago(5), { status: 'queued', last_error_code: null });
    const save = { kind: 'netsuite.save', payload: JSON.stringify({ associationId: 'a2' }) };
    await insertEmailJob(db.kysely, 's', T1, 'e2', ago(5), { ...save, last_error_code: 'netsuite_permission' });

    const after = await mailboxes(ADELE);
    expect(after['mb-support']?.failedJobs).toEqual({
      since: ago(24 * 60),
      count: 2,
      byKind: { 'card.post': 1, 'card.update': 1 },
      newest: { at: ago(19), kind: 'card.update', errorCode: 'card_wait_expired' },
    });
    const problem = failedProblem(after['mb-support']);
    expect(problem?.severity).toBe('error');
    expect(problem?.problem).toBe(
      '2 email jobs failed for good since 2026-11-21 10:00 UTC; 1 email has no card in the channel. The newest, at ' +
        '2026-11-22 09:41 UTC, could not update its email’s card (card_wait_expired): The card waited too long for ' +
        'an earlier card of its conversation and was not posted.',
    );
    expect(problem?.fix).toContain('job waited too long for another job');
    // The other mailbox of the tenant stays healthy, and its public shape is unchanged.
    expect(after['mb-sales']?.failedJobs.count).toBe(0);
    expect(after['mb-sales']?.problems).toEqual([]);
    expect(Object.keys(after['mb-sales'] ?? {})).toEqual(
      expect.arrayContaining(['id', 'address', 'channel', 'license', 'subscription', 'activeRules', 'problems']),
    );
  });

  it("neither shows a tenant's failures to another tenant nor lets another tenant's jobs count", async () => {
    // Fabrikam's tenant fails jobs whose payloads name Contoso's emails, and Contoso's own card of e1 fails.
    for (const [i, emailId] of ['e1', 'e3', 'e4'].entries()) {
      await insertEmailJob(db.kysely, `hostile${i}`, T2, emailId, ago(10));
    }
    await insertEmailJob(db.kysely, 'mine', T1, 'e1', ago(30));
    // A Contoso job naming Fabrikam's email counts nowhere either.
    await insertEmailJob(db.kysely, 'cross', T1, 'x1', ago(30));

    const contoso = await mailboxes(ADELE);
    expect(contoso['mb-support']?.failedJobs.count).toBe(1);
    expect(contoso['mb-sales']?.failedJobs.count).toBe(0);
    expect(failedProblem(contoso['mb-sales'])).toBeUndefined();
    const fabrikam = await mailboxes(OTHER);
    expect(Object.keys(fabrikam)).toEqual(['mb-fab']);
    expect(fabrikam['mb-fab']?.failedJobs.count).toBe(0);
    expect(failedProblem(fabrikam['mb-fab'])).toBeUndefined();
  });

  it("keeps another team's failures out of a team's view", async () => {
    await db.kysely.updateTable('mailboxes').set({ team_id: 'team-sales' }).where('id', '=', 'mb-sales').execute();
    await insertEmailJob(db.kysely, 'f1', T1, 'e1', ago(30));
    const sales = await mailboxes(ADELE, 'team-sales');
    expect(Object.keys(sales)).toEqual(['mb-sales']);
    expect(sales['mb-sales']?.failedJobs.count).toBe(0);
    expect(sales['mb-sales']?.problems).toEqual([]);
    expect((await mailboxes(ADELE, 'team-1'))['mb-support']?.failedJobs.count).toBe(1);
  });
});
