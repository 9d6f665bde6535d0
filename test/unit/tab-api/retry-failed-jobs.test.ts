import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMAIL_JOB_KINDS, RERUNNABLE_EMAIL_JOB_KINDS } from '../../../bot/src/core/job-kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import type { TabIdentity } from '../../../bot/src/tab-api/identity.js';
import type { TabRoute } from '../../../bot/src/tab-api/route.js';
import { tabRoutes } from '../../../bot/src/tab-api/routes.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import {
  ADELE,
  ALEX,
  inEveryTeam,
  insertEmailJob,
  MEGAN,
  OTHER,
  seedDashboard,
  T1,
  T2,
} from '../../integration/tab-api/seed.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();
const PATH = '/api/tab/mailboxes/:id/retry-failed';

// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON bodies loosely.
type Res = { status: number; body: any };

describe('the kinds Try again runs', () => {
  it('are email job kinds, each checked for a second run (core/job-kinds.ts says how)', () => {
    expect(RERUNNABLE_EMAIL_JOB_KINDS.filter((k) => !EMAIL_JOB_KINDS.includes(k))).toEqual([]);
    expect([...RERUNNABLE_EMAIL_JOB_KINDS].sort()).toEqual(
      ['autopilot.apply', 'card.post', 'card.suggest', 'card.update', 'mail.category'].sort(),
    );
  });
});

describe.each(testEngines())("Try again on a mailbox's failed email jobs on %s", (engine) => {
  let db: TestDb;
  let routes: TabRoute[];
  let lines: Array<Record<string, unknown>>;

  beforeEach(async () => {
    db = await createTestDb(engine);
    await seedDashboard(db.kysely, NOW);
    // support@'s cards go to the team of group g-support, which Adele owns; Megan is a listed Mailroom admin.
    await db.kysely
      .updateTable('mailboxes')
      .set({ team_group_id: 'g-support' })
      .where('id', '=', 'mb-support')
      .execute();
    await db.kysely.updateTable('mailboxes').set({ team_group_id: 'g-sales' }).where('id', '=', 'mb-sales').execute();
    lines = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    routes = tabRoutes({
      db: db.kysely,
      engine: db.engine,
      recordUrl: () => '',
      isAdmin: async (i, group) => i.oid === MEGAN.oid || (i.oid === ADELE.oid && group === 'g-support'),
      teamsOf: inEveryTeam,
      turnOffRule: async () => undefined,
      retrySave: async () => undefined,
      releaseClaim: async () => undefined,
      queue: new JobQueue(db, () => NOW),
      log,
      now: () => NOW,
    });
  });
  afterEach(async () => db.drop());

  async function call(method: 'GET' | 'POST', path: string, identity: TabIdentity, params = {}): Promise<Res> {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    return (await route.handler({ identity, query: {}, params, body: {} })) as Res;
  }
  const retry = (who: TabIdentity, id: string) => call('POST', PATH, who, { id });
  const failedCount = async (who: TabIdentity, id: string) =>
    (await call('GET', '/api/tab/mailboxes', who)).body.items.find((m: { id: string }) => m.id === id)?.failedJobs
      .count;
  const jobs = async () =>
    Object.fromEntries(
      (await db.kysely.selectFrom('jobs').selectAll().execute()).map((j) => [
        j.id,
        { status: j.status, attempts: j.attempts },
      ]),
    );
  const audits = () => db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'retry_jobs').execute();

  /** support@'s two failed cards, and failures that are not support@'s to try again, or not failures of the day. */
  async function seedFailures() {
    await insertEmailJob(db.kysely, 'f1', T1, 'e1', ago(50), { attempts: 12 });
    await insertEmailJob(db.kysely, 'f2', T1, 'e2', ago(20), {
      kind: 'card.update',
      last_error_code: 'card_wait_expired',
    });
    await insertEmailJob(db.kysely, 'old', T1, 'e2', ago(2 * 24 * 60));
    await insertEmailJob(db.kysely, 'sales', T1, 'e3', ago(10));
    await insertEmailJob(db.kysely, 'save', T1, 'e1', ago(5), { kind: 'netsuite.save' });
    // Fabrikam's job naming Contoso's email, and a Contoso job whose payload names Fabrikam's email.
    await insertEmailJob(db.kysely, 'hostile', T2, 'e1', ago(10));
    await insertEmailJob(db.kysely, 'cross', T1, 'x1', ago(10));
  }

  it("queues the mailbox's failed email jobs of the day again, once, with an audit row and a log line", async () => {
    await seedFailures();
    expect(await failedCount(MEGAN, 'mb-support')).toBe(2);

    const res = await retry(MEGAN, 'mb-support');
    expect(res).toEqual({ status: 202, body: { mailboxId: 'mb-support', queued: 2 } });
    expect(await jobs()).toMatchObject({
      f1: { status: 'queued', attempts: 0 },
      f2: { status: 'queued', attempts: 0 },
      old: { status: 'failed' },
      sales: { status: 'failed' },
      save: { status: 'failed' },
      hostile: { status: 'failed' },
      cross: { status: 'failed' },
    });
    const f1 = await db.kysely.selectFrom('jobs').selectAll().where('id', '=', 'f1').executeTakeFirstOrThrow();
    expect(f1).toMatchObject({
      run_at: NOW.toISOString(),
      lease_until: null,
      locked_by: null,
      updated_at: NOW.toISOString(),
    });
    // The Dashboard no longer counts them; the problem is gone.
    const support = (await call('GET', '/api/tab/mailboxes', MEGAN)).body.items.find(
      (m: { id: string }) => m.id === 'mb-support',
    );
    expect(support.failedJobs.count).toBe(0);
    expect(support.problems.map((p: { code: string }) => p.code)).not.toContain('email_jobs_failed');
    expect(await failedCount(OTHER, 'mb-fab')).toBe(0);

    expect(await audits()).toMatchObject([
      {
        tenant_id: T1,
        actor_id: MEGAN.oid,
        actor_name: 'Megan Bowen',
        subject: 'support@contoso.com',
        detail: JSON.stringify({ mailboxId: 'mb-support', queued: 2 }),
        at: NOW.toISOString(),
      },
    ]);
    const activity = (await call('GET', '/api/tab/activity', MEGAN)).body.items[0];
    expect(activity.summary).toBe('queued 2 failed email jobs of support@contoso.com again');
    expect(lines.map((l) => [l.msg, l.mailboxId, l.queued, l.actorId])).toEqual([
      ['failed email jobs queued again from the Dashboard', 'mb-support', 2, MEGAN.oid],
    ]);

    // Asked again: nothing is failed any more, which is an answer (0), not an error, and no second audit row.
    expect(await retry(MEGAN, 'mb-support')).toEqual({ status: 202, body: { mailboxId: 'mb-support', queued: 0 } });
    expect(await audits()).toHaveLength(1);
    expect(lines).toHaveLength(2);
  });

  it("lets an owner of the mailbox's team try again, and refuses a member and another team's owner", async () => {
    await seedFailures();
    const before = await dbSnapshot(db.kysely);
    for (const [who, id] of [
      [ALEX, 'mb-support'],
      [ADELE, 'mb-sales'],
    ] as const) {
      expect(await retry(who, id)).toEqual({
        status: 403,
        body: {
          error: {
            code: 'forbidden',
            message: "Only an owner of the mailbox's team or a Mailroom admin can try its failed email jobs again.",
          },
        },
      });
    }
    expect(await dbSnapshot(db.kysely)).toEqual(before);
    expect(lines).toEqual([]);
    expect((await retry(ADELE, 'mb-support')).body.queued).toBe(2);
  });

  it("answers another tenant's token naming our mailbox with 404, and changes nothing", async () => {
    await seedFailures();
    const before = await dbSnapshot(db.kysely);
    // Fabrikam's own admin: isAdmin says yes for Megan only, so make the caller as strong as can be.
    const fabAdmin = { ...MEGAN, tid: T2 };
    for (const who of [OTHER, fabAdmin]) {
      const res = await retry(who, 'mb-support');
      expect(res).toEqual({
        status: 404,
        body: { error: { code: 'not_found', message: 'That mailbox was not found.' } },
      });
    }
    expect(await dbSnapshot(db.kysely)).toEqual(before);
    // Fabrikam trying its own mailbox queues neither its job naming Contoso's email nor anything of Contoso's.
    expect((await retry(fabAdmin, 'mb-fab')).body.queued).toBe(0);
    expect(await dbSnapshot(db.kysely)).toEqual(before);
  });

  it('refuses malformed mailbox ids with 400', async () => {
    for (const id of ['', 'x'.repeat(201), 'mb-support\u0000', "mb-support' or 1=1", 'mb-support/../mb-fab', '%']) {
      const res = await retry(MEGAN, id);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await call('POST', PATH, MEGAN, {})).status).toBe(400);
  });

  it('queues each job once when two admins press Try again at the same moment', async () => {
    await seedFailures();
    const [a, b] = await Promise.all([retry(MEGAN, 'mb-support'), retry(ADELE, 'mb-support')]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.queued + b.body.queued).toBe(2);
    expect(await audits()).toHaveLength(1);
    expect(await jobs()).toMatchObject({ f1: { status: 'queued' }, f2: { status: 'queued' } });
    // Each is in the queue once: one lease takes each of them once, with its first attempt.
    const leased = await new JobQueue(db, () => NOW).lease('w', { limit: 10, leaseMs: 1000 });
    expect(leased.filter((j) => j.id.startsWith('f')).map((j) => [j.id, j.attempts])).toEqual(
      expect.arrayContaining([
        ['f1', 1],
        ['f2', 1],
      ]),
    );
    expect(leased.filter((j) => j.id.startsWith('f'))).toHaveLength(2);
  });
});
