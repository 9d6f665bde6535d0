import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import type { TabActor, TabIdentity } from '../../../bot/src/tab-api/identity.js';
import type { TabRoute } from '../../../bot/src/tab-api/route.js';
import { type TabApiDeps, tabRoutes } from '../../../bot/src/tab-api/routes.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import {
  ADELE,
  ALEX,
  inEveryTeam,
  insertAssociation,
  insertEmail,
  MEGAN,
  OTHER,
  seedDashboard,
  T1,
} from '../../integration/tab-api/seed.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');

describe.each(testEngines())('tab API on %s', (engine) => {
  let db: TestDb;
  let routes: TabRoute[];
  let turnedOff: Array<{ tenantId: string; ruleId: string; actor: TabActor }>;
  let retried: string[];

  beforeEach(async () => {
    db = await createTestDb(engine);
    await seedDashboard(db.kysely, NOW);
    turnedOff = [];
    retried = [];
    const deps: TabApiDeps = {
      db: db.kysely,
      engine: db.engine,
      recordUrl: (type, id) => `https://123456.app.netsuite.com/app/${type}.nl?id=${id}`,
      isAdmin: async (i) => i.oid === MEGAN.oid,
      teamsOf: inEveryTeam,
      turnOffRule: async (tenantId, ruleId, actor) => {
        turnedOff.push({ tenantId, ruleId, actor });
        await db.kysely.updateTable('autopilot_rules').set({ active: 0 }).where('id', '=', ruleId).execute();
      },
      retrySave: async (_t, id) => {
        retried.push(id);
      },
      releaseClaim: async (tenantId, emailId) => {
        await db.kysely
          .deleteFrom('claims')
          .where('tenant_id', '=', tenantId)
          .where('email_id', '=', emailId)
          .execute();
      },
      queue: new JobQueue(db, () => NOW),
      log: pino({ level: 'silent' }),
      now: () => NOW,
    };
    routes = tabRoutes(deps);
  });
  afterEach(async () => db.drop());

  async function call(method: 'GET' | 'POST', path: string, identity: TabIdentity, query = {}, params = {}) {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON bodies loosely.
    return (await route.handler({ identity, query, params, body: {} })) as { status: number; body: any };
  }

  it('tells the tab who is signed in and whether they are an admin', async () => {
    expect((await call('GET', '/api/tab/me', ADELE)).body).toMatchObject({ isAdmin: false, tenant: { id: ADELE.tid } });
    expect((await call('GET', '/api/tab/me', MEGAN)).body.isAdmin).toBe(true);
  });

  it('lists the tenant’s saves newest first with NetSuite and Outlook links, never another tenant’s', async () => {
    const res = await call('GET', '/api/tab/associations', ADELE);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual(['a4', 'a3', 'a2', 'a1']);
    const failed = res.body.items.find((r: { id: string }) => r.id === 'a2');
    expect(failed).toMatchObject({
      status: 'failed',
      canRetry: true,
      record: { name: 'Case 77: printer', url: 'https://123456.app.netsuite.com/app/supportcase.nl?id=77' },
      error: { code: 'netsuite_permission' },
      mailbox: { address: 'support@contoso.com' },
    });
    expect(failed.outlookUrl).toMatch(/^https:\/\/outlook\.office365\.com\/owa\//);
    expect((await call('GET', '/api/tab/associations', OTHER)).body.items.map((r: { id: string }) => r.id)).toEqual([
      'x-a1',
    ]);
  });

  it('searches subject, sender and record name, and filters by mailbox, saver, mode, status and date', async () => {
    const ids = async (query: object) =>
      (await call('GET', '/api/tab/associations', ADELE, query)).body.items.map((r: { id: string }) => r.id);
    expect(await ids({ q: 'PRINTER' })).toEqual(['a2']);
    expect(await ids({ q: 'ana@fabrikam' })).toEqual(['a1']);
    expect(await ids({ q: 'fabrikam inc' })).toEqual(['a4', 'a1']);
    expect(await ids({ q: 'Secret' })).toEqual([]);
    expect(await ids({ q: '%' })).toEqual([]);
    expect(await ids({ mailbox: 'sales@contoso.com' })).toEqual(['a4', 'a3']);
    expect(await ids({ mailbox: 'mb-support' })).toEqual(['a2', 'a1']);
    expect(await ids({ savedBy: ALEX.oid })).toEqual(['a2']);
    expect(await ids({ mode: 'autopilot' })).toEqual(['a3']);
    expect(await ids({ status: 'failed' })).toEqual(['a2']);
    expect(await ids({ from: '2026-11-22T08:45:00Z', to: '2026-11-22T08:55:00Z' })).toEqual(['a3']);
    expect(await ids({ to: '2026-11-21' })).toEqual([]);
    expect(await ids({ status: 'failed', mode: 'one-time', q: 'case' })).toEqual(['a2']);
  });

  it('searches by words in any order and field, literally, and finds saves made after the first search', async () => {
    const ids = async (query: object) =>
      (await call('GET', '/api/tab/associations', ADELE, query)).body.items.map((r: { id: string }) => r.id);
    // One word from the sender, one from the subject; then the record name before the sender's domain.
    expect(await ids({ q: 'ana invoice' })).toEqual(['a1']);
    expect(await ids({ q: '  inc   ANA  ' })).toEqual(['a1']);
    // A two-letter word (below the trigram indexes' reach) still narrows the search.
    expect(await ids({ q: 'bo fire' })).toEqual(['a2']);
    expect(await ids({ q: 'bo' })).toEqual(['a2']);
    // Words match inside one field, not across the boundary between two.
    expect(await ids({ q: 'wrong ana' })).toEqual(['a1']);
    expect(await ids({ q: 'wrongana' })).toEqual([]);
    // Wildcards and quotes are text, not syntax.
    expect(await ids({ q: '"fabrikam' })).toEqual([]);
    expect(await ids({ q: 'fab_ikam' })).toEqual([]);

    await insertEmail(db.kysely, {
      id: 'e9',
      tenant: T1,
      mailbox: 'mb-support',
      subject: 'Réclamation École 100% urgent',
      fromName: 'Émile Zola',
      fromAddress: 'emile@paris.example',
      at: '2026-11-22T09:59:00.000Z',
    });
    await insertAssociation(db.kysely, {
      id: 'a9',
      tenant_id: T1,
      email_id: 'e9',
      created_at: '2026-11-22T09:59:00.000Z',
      record_name: 'Zola & Fils',
    });
    expect(await ids({ q: 'école' })).toEqual(['a9']);
    expect(await ids({ q: 'ÉMILE zola' })).toEqual(['a9']);
    expect(await ids({ q: '100%' })).toEqual(['a9']);
    expect(await ids({ q: '& fils' })).toEqual(['a9']);
  });

  it('answers 400 with the field at fault for bad filters and cursors', async () => {
    const bad = await call('GET', '/api/tab/associations', ADELE, { mode: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect(bad.body.error.message).toMatch(/^Invalid request: mode:/);
    expect((await call('GET', '/api/tab/associations', ADELE, { limit: '101' })).body.error.message).toMatch(/limit/);
    expect((await call('GET', '/api/tab/associations', ADELE, { from: 'yesterday' })).status).toBe(400);
    expect((await call('GET', '/api/tab/associations', ADELE, { cursor: 'not-a-cursor' })).status).toBe(400);
    expect((await call('GET', '/api/tab/activity', ADELE, { action: 'DROP TABLE' })).status).toBe(400);
  });

  it('retries a failed save through the port, and refuses saved rows and other tenants’ rows', async () => {
    expect((await call('POST', '/api/tab/associations/:id/retry', ALEX, {}, { id: 'a2' })).status).toBe(202);
    expect(retried).toEqual(['a2']);
    expect((await call('POST', '/api/tab/associations/:id/retry', ALEX, {}, { id: 'a1' })).status).toBe(409);
    const foreign = await call('POST', '/api/tab/associations/:id/retry', OTHER, {}, { id: 'a2' });
    expect(foreign.status).toBe(404);
    expect(retried).toEqual(['a2']);
  });

  it('retries a partial save whose attachment failed, and refuses one whose only missing file was too large', async () => {
    const partial = (files: Array<{ name: string; status: string }>) => ({
      status: 'partial' as const,
      attachments_json: JSON.stringify(files),
    });
    await db.kysely
      .updateTable('associations')
      .set(
        partial([
          { name: 'a.pdf', status: 'saved' },
          { name: 'b.pdf', status: 'failed' },
        ]),
      )
      .where('id', '=', 'a1')
      .execute();
    await db.kysely
      .updateTable('associations')
      .set(partial([{ name: 'c.zip', status: 'skipped_too_large' }]))
      .where('id', '=', 'a3')
      .execute();
    const listed = (await call('GET', '/api/tab/associations', ADELE)).body.items as Array<{
      id: string;
      canRetry: boolean;
    }>;
    expect(listed.filter((r) => r.id === 'a1' || r.id === 'a3').map((r) => [r.id, r.canRetry])).toEqual([
      ['a3', false],
      ['a1', true],
    ]);
    expect((await call('POST', '/api/tab/associations/:id/retry', ALEX, {}, { id: 'a3' })).status).toBe(409);
    expect((await call('POST', '/api/tab/associations/:id/retry', ALEX, {}, { id: 'a1' })).status).toBe(202);
    expect(retried).toEqual(['a1']);
  });

  it('lists rules with a readable match and who may turn each off', async () => {
    const rules = async (who: TabIdentity) =>
      Object.fromEntries(
        (await call('GET', '/api/tab/rules', who)).body.items.map((r: { id: string; canTurnOff: boolean }) => [
          r.id,
          r.canTurnOff,
        ]),
      );
    expect(await rules(ADELE)).toEqual({ r1: true, r2: false, r3: false });
    expect(await rules(MEGAN)).toEqual({ r1: true, r2: true, r3: true });
    const items = (await call('GET', '/api/tab/rules', ADELE)).body.items;
    expect(items.find((r: { id: string }) => r.id === 'r2').match).toBe('thread "Printer on fire"');
    expect(items.find((r: { id: string }) => r.id === 'r3').match).toBe('all mail to sales@contoso.com');
    expect(items.find((r: { id: string }) => r.id === 'r1')).toMatchObject({
      kind: 'address',
      owner: { name: 'Adele Vance' },
      targets: [{ type: 'customer', id: '101', name: 'Tailspin Toys' }],
    });
  });

  it('lets only the owner or an admin turn a rule off', async () => {
    const refused = await call('POST', '/api/tab/rules/:id/off', ADELE, {}, { id: 'r2' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'rule_not_owner',
      message:
        "Only Alex Wilber, who turned this rule on, an owner of the mailbox's team or a Mailroom admin can turn it off.",
    });
    expect(turnedOff).toEqual([]);
    expect((await call('POST', '/api/tab/rules/:id/off', ADELE, {}, { id: 'r1' })).status).toBe(200);
    expect((await call('POST', '/api/tab/rules/:id/off', MEGAN, {}, { id: 'r2' })).status).toBe(200);
    expect(turnedOff.map((t) => [t.ruleId, t.actor.name])).toEqual([
      ['r1', 'Adele Vance'],
      ['r2', 'Megan Bowen'],
    ]);
    expect((await call('POST', '/api/tab/rules/:id/off', OTHER, {}, { id: 'r3' })).status).toBe(404);
    expect((await call('GET', '/api/tab/rules', ADELE)).body.items.map((r: { id: string }) => r.id)).toEqual(['r3']);
    expect((await call('GET', '/api/tab/rules', ADELE, { state: 'off' })).body.items).toHaveLength(2);
  });

  it("counts the owners of a mailbox's team as admins for that mailbox's rules, and for no other", async () => {
    await db.kysely.updateTable('mailboxes').set({ team_group_id: 'g-sales' }).where('id', '=', 'mb-sales').execute();
    const asked: Array<string | null | undefined> = [];
    const route = (method: string, path: string) =>
      tabRoutes({
        db: db.kysely,
        engine: db.engine,
        recordUrl: () => '',
        // Adele owns the team that gets sales@'s cards; nobody is in MAILROOM_ADMINS.
        teamsOf: inEveryTeam,
        isAdmin: async (i, team) => {
          asked.push(team);
          return i.oid === ADELE.oid && team === 'g-sales';
        },
        turnOffRule: async () => undefined,
        retrySave: async () => undefined,
        releaseClaim: async () => undefined,
        queue: new JobQueue(db),
        log: pino({ level: 'silent' }),
      }).find((r) => r.method === method && r.path === path);
    const list = route('GET', '/api/tab/rules');
    if (!list) throw new Error('no GET /api/tab/rules');
    const listed = await list.handler({ identity: ADELE, query: {}, params: {}, body: null });
    const can = Object.fromEntries(
      (listed.body as { items: Array<{ id: string; canTurnOff: boolean }> }).items.map((r) => [r.id, r.canTurnOff]),
    );
    // r1 is her own; r3 is Alex's on sales@ (her team); r2 is Alex's on support@ (no team she owns).
    expect(can).toEqual({ r1: true, r2: false, r3: true });
    // One question per team, none for her own rule; and one (no team) for her reach: listed admins see everything.
    expect(asked.sort()).toEqual(['g-sales', 'g-team-1', undefined]);

    const off = route('POST', '/api/tab/rules/:id/off');
    const turnOff = (id: string) => off?.handler({ identity: ADELE, query: {}, params: { id }, body: null });
    expect((await turnOff('r2'))?.status).toBe(403);
    expect((await turnOff('r3'))?.status).toBe(200);
  });

  it('passes on the port’s own refusal text', async () => {
    const { MailroomError } = await import('../../../bot/src/core/errors.js');
    const route = tabRoutes({
      db: db.kysely,
      engine: db.engine,
      recordUrl: () => '',
      isAdmin: async () => false,
      teamsOf: inEveryTeam,
      turnOffRule: async () => {
        throw new MailroomError('forbidden', 'Rules on sales@ are locked by policy.');
      },
      retrySave: async () => undefined,
      releaseClaim: async () => undefined,
      queue: new JobQueue(db),
      log: pino({ level: 'silent' }),
    }).find((r) => r.path === '/api/tab/rules/:id/off');
    const res = await route?.handler({ identity: ADELE, query: {}, params: { id: 'r1' }, body: {} });
    expect(res).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'Rules on sales@ are locked by policy.' } },
    });
  });

  it('shows each mailbox’s license and subscription health with the step that fixes each problem', async () => {
    const { items } = (await call('GET', '/api/tab/mailboxes', ADELE)).body;
    expect(items.map((m: { address: string }) => m.address)).toEqual(['sales@contoso.com', 'support@contoso.com']);
    const [sales, support] = items;
    expect(sales.license).toMatchObject({ status: 'licensed', seatsUsed: 1, seatsTotal: 5 });
    expect(sales.subscription).toMatchObject({ status: 'active', backlog: { queued: 1, running: 0 } });
    expect(sales.channel.name).toBe('Sales');
    expect(sales.problems).toEqual([]);
    expect(support.license.status).toBe('unlicensed');
    expect(support.subscription.status).toBe('expired');
    const expired = support.problems.find((p: { code: string }) => p.code === 'subscription_expired');
    expect(expired.fix).toContain('Run /watch support@contoso.com in its channel');
    expect(expired.fix).toContain('PUBLIC_URL');
    const unlicensed = support.problems.find((p: { code: string }) => p.code === 'license_missing');
    expect(unlicensed.fix).toContain('/license assign support@contoso.com');
  });

  it('lists open claims by person, busiest first, with their age', async () => {
    const { people } = (await call('GET', '/api/tab/claims', ADELE)).body;
    expect(people.map((p: { user: { name: string } }) => p.user.name)).toEqual(['Alex Wilber', 'Adele Vance']);
    expect(people[0].claims.map((c: { subject: string; ageMinutes: number }) => [c.subject, c.ageMinutes])).toEqual([
      ['Invoice 4417 is wrong', 45],
      ['Renewal question', 10],
    ]);
  });

  it("narrows every view to one team's mailboxes when the tab is opened in that team", async () => {
    await db.kysely.updateTable('mailboxes').set({ team_id: 'team-sales' }).where('id', '=', 'mb-sales').execute();
    const team = { team: 'team-sales' };
    const ids = (items: Array<{ id: string }>) => items.map((r) => r.id);
    expect(ids((await call('GET', '/api/tab/associations', ADELE, team)).body.items)).toEqual(['a4', 'a3']);
    expect(ids((await call('GET', '/api/tab/rules', ADELE, team)).body.items)).toEqual(['r3', 'r1']);
    expect(ids((await call('GET', '/api/tab/mailboxes', ADELE, team)).body.items)).toEqual(['mb-sales']);
    expect(ids((await call('GET', '/api/tab/mailboxes/names', ADELE, team)).body.items)).toEqual(['mb-sales']);
    const claims = (await call('GET', '/api/tab/claims', ADELE, team)).body.people as Array<{
      claims: Array<{ emailId: string }>;
    }>;
    expect(claims.flatMap((p) => p.claims.map((c) => c.emailId))).toEqual(['e4']);
    // Without a team (a personal tab), the whole tenant; another tenant's team id finds nothing of it.
    expect((await call('GET', '/api/tab/mailboxes', ADELE)).body.items).toHaveLength(2);
    expect((await call('GET', '/api/tab/mailboxes', OTHER, team)).body.items).toEqual([]);
  });

  it('lets the claimer or an admin release a claim, and nobody else', async () => {
    const releasable = async (who: TabIdentity) =>
      Object.fromEntries(
        (
          (await call('GET', '/api/tab/claims', who)).body.people as Array<{
            claims: Array<{ emailId: string; canRelease: boolean }>;
          }>
        ).flatMap((p) => p.claims.map((c) => [c.emailId, c.canRelease])),
      );
    expect(await releasable(ADELE)).toEqual({ e1: false, e4: false, e2: true });
    expect(await releasable(MEGAN)).toEqual({ e1: true, e4: true, e2: true });

    const refused = await call('POST', '/api/tab/claims/:id/release', ADELE, {}, { id: 'e1' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      "Only Alex Wilber, who claimed it, an owner of the mailbox's team or a Mailroom admin can release it.",
    );
    expect((await call('POST', '/api/tab/claims/:id/release', OTHER, {}, { id: 'e1' })).status).toBe(404);
    expect((await call('POST', '/api/tab/claims/:id/release', ADELE, {}, { id: 'e2' })).status).toBe(200);
    expect((await call('POST', '/api/tab/claims/:id/release', MEGAN, {}, { id: 'e4' })).status).toBe(200);
    expect(await releasable(MEGAN)).toEqual({ e1: true });
  });

  it('pages the audit log, filterable by action and actor', async () => {
    const first = (await call('GET', '/api/tab/activity', ADELE, { limit: '3' })).body;
    expect(first.items.map((a: { action: string }) => a.action)).toEqual(['claim', 'save', 'rule_on']);
    const second = (await call('GET', '/api/tab/activity', ADELE, { limit: '3', cursor: first.nextCursor })).body;
    expect(second.items.map((a: { subject: string }) => a.subject)).toEqual(['r1']);
    expect(second.nextCursor).toBeNull();
    const ruleOns = (await call('GET', '/api/tab/activity', ADELE, { action: 'rule_on', actor: 'alex wilber' })).body;
    expect(ruleOns.items.map((a: { subject: string }) => a.subject)).toEqual(['r2']);
    // Part of a name finds the person; each row says what happened in words, with the email's subject line.
    const alex = (await call('GET', '/api/tab/activity', ADELE, { actor: 'wilb' })).body.items;
    expect(alex.map((a: { summary: string }) => a.summary)).toEqual([
      'claimed "Invoice 4417 is wrong"',
      'turned autopilot on for rule r2',
    ]);
  });

  it('finds saves by part of the saver’s name, and offers every mailbox ever watched as a filter', async () => {
    const ids = async (query: object) =>
      (await call('GET', '/api/tab/associations', ADELE, query)).body.items.map((r: { id: string }) => r.id);
    expect(await ids({ savedBy: 'wilb' })).toEqual(['a2']);
    expect(await ids({ savedBy: ALEX.oid })).toEqual(['a2']);
    expect(await ids({ savedBy: '%' })).toEqual([]);
    await db.kysely.updateTable('mailboxes').set({ active: 0 }).where('id', '=', 'mb-sales').execute();
    expect((await call('GET', '/api/tab/mailboxes/names', ADELE)).body.items).toEqual([
      { id: 'mb-support', address: 'support@contoso.com', active: true },
      { id: 'mb-sales', address: 'sales@contoso.com', active: false },
    ]);
    expect((await call('GET', '/api/tab/mailboxes/names', OTHER)).body.items).toEqual([
      { id: 'mb-fab', address: 'support@fabrikam.com', active: true },
    ]);
  });
});
