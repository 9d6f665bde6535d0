import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_PERMISSIONS } from '../../../bot/src/mail/graph-permissions.js';
import { SANDBOX_TEAM_GROUP_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { emailId } from '../autopilot/kit.js';
import { insertAssociation } from './seed.js';

const SUBJECT = 'Contract 12 renewal';
const alex = sandboxPerson('alex');
const diego = sandboxPerson('diego');
const asUser = (p: typeof alex) => ({ oid: p.oid, name: p.displayName, upn: p.upn });

/**
 * The Dashboard shows a shared mailbox's mail only to the members of the team that gets its cards (by Graph's
 * roster of that team) and to admins of every mailbox; anyone else sees only what they did themselves. Through the
 * whole of Mailroom: support@ is watched in the sandbox team, of which Diego is not a member here.
 */
async function startScene(
  engine: 'sqlite' | 'postgres',
  logLines: Array<Record<string, unknown>>,
  permissions?: string[],
) {
  const h = await startHarness({ engine, netsuite: false, logLines });
  // Before Mailroom's first Graph token: its roles are what the admin granted.
  if (permissions) h.sandbox.graph.grantPermissions(permissions);
  const team = h.sandbox.graph.state.teams.find((t) => t.aadGroupId === SANDBOX_TEAM_GROUP_ID);
  if (!team) throw new Error('no sandbox team');
  team.members = team.members.filter((m) => m.userId !== diego.oid);
  await h.watch('support@contoso.com');
  h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: SUBJECT });
  await h.settle();
  const email = await emailId(h, SUBJECT);
  const db = h.mailroom.db.kysely;
  const mailbox = await db
    .selectFrom('mailboxes')
    .select(['id', 'team_group_id'])
    .where('address', '=', 'support@contoso.com')
    .executeTakeFirstOrThrow();
  expect(mailbox.team_group_id).toBe(SANDBOX_TEAM_GROUP_ID);
  const at = new Date().toISOString();
  // Alex's failed save, claim and rule on support@; Diego's own save of a Teams message (no mailbox).
  await insertAssociation(db, {
    id: 'a-alex',
    tenant_id: FIXTURE_IDS.tenantId,
    email_id: email,
    created_at: at,
    status: 'failed',
    error_code: 'netsuite_permission',
    saved_by_id: alex.oid,
    saved_by_name: alex.displayName,
  });
  await db
    .insertInto('claims')
    .values({
      tenant_id: FIXTURE_IDS.tenantId,
      email_id: email,
      user_id: alex.oid,
      user_name: alex.displayName,
      claimed_at: at,
    })
    .execute();
  await db
    .insertInto('autopilot_rules')
    .values({
      id: 'r-alex',
      tenant_id: FIXTURE_IDS.tenantId,
      mailbox_id: mailbox.id,
      kind: 'address',
      match_value: 'ana@fabrikam.com',
      targets_json: '[]',
      owner_id: alex.oid,
      owner_name: alex.displayName,
      created_at: at,
      active: 1,
      turned_off_by: null,
      turned_off_at: null,
    })
    .execute();
  await db
    .insertInto('teams_messages')
    .values({
      id: 'tm-diego',
      tenant_id: FIXTURE_IDS.tenantId,
      message_key: 'k-diego',
      team_id: null,
      subject: 'Diego’s own note',
      author_name: diego.displayName,
      author_address: diego.upn,
      body_html: '<p>hi</p>',
      posted_at: at,
      web_link: null,
      created_at: at,
    })
    .execute();
  await insertAssociation(db, {
    id: 'a-diego',
    tenant_id: FIXTURE_IDS.tenantId,
    email_id: 'tm-diego',
    created_at: at,
    saved_by_id: diego.oid,
    saved_by_name: diego.displayName,
  });
  return { h, email, mailboxId: mailbox.id };
}

describe.each(testEngines())('the Dashboard by team membership on %s', (engine) => {
  let h: Harness;
  let email: string;
  let mailboxId: string;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    ({ h, email, mailboxId } = await startScene(engine, logLines));
  }, 60_000);
  afterAll(async () => h?.close());

  const call = async (who: typeof alex, method: 'GET' | 'POST', path: string, tid?: string) => {
    const token = tid ? await h.tabTokenOf(tid, asUser(who)) : await h.tabToken(asUser(who));
    const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    // biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON bodies loosely.
    return { status: res.status, body: (await res.json()) as any };
  };
  const ids = (items: Array<{ id: string }>) => items.map((r) => r.id).sort();

  /** Runs `act` and proves nothing changed and Graph was asked for nothing but a team roster; returns its log lines. */
  async function unchanged(act: () => Promise<void>) {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const requests = h.sandbox.graph.state.requests.length;
    const lines = logLines.length;
    await act();
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    const asked = h.sandbox.graph.state.requests.slice(requests).map((r) => `${r.method} ${r.path}`);
    for (const a of asked) expect(a).toBe(`GET /v1.0/teams/${SANDBOX_TEAM_GROUP_ID}/members`);
    return logLines.slice(lines);
  }

  it('shows a member of the mailbox’s team its saves, claims, rules and mailbox', async () => {
    expect(ids((await call(alex, 'GET', '/api/tab/associations')).body.items)).toEqual(['a-alex']);
    expect((await call(alex, 'GET', '/api/tab/rules')).body.items.map((r: { id: string }) => r.id)).toEqual(['r-alex']);
    expect((await call(alex, 'GET', '/api/tab/mailboxes')).body.items.map((m: { id: string }) => m.id)).toEqual([
      mailboxId,
    ]);
    const me = await call(alex, 'GET', '/api/tab/me');
    expect(me.body.reach).toEqual({ all: false, mailboxes: ['support@contoso.com'], problem: null });
  });

  it('shows someone outside the team only their own save, in every list and the search, with no line', async () => {
    const lines = await unchanged(async () => {
      expect(ids((await call(diego, 'GET', '/api/tab/associations')).body.items)).toEqual(['a-diego']);
      expect(
        (await call(diego, 'GET', `/api/tab/associations?q=${encodeURIComponent('contract renewal')}`)).body.items,
      ).toEqual([]);
      expect((await call(diego, 'GET', '/api/tab/claims')).body.people).toEqual([]);
      expect((await call(diego, 'GET', '/api/tab/rules?state=all')).body.items).toEqual([]);
      expect((await call(diego, 'GET', '/api/tab/mailboxes')).body.items).toEqual([]);
      expect((await call(diego, 'GET', '/api/tab/mailboxes/names')).body.items).toEqual([]);
      const activity = (await call(diego, 'GET', '/api/tab/activity')).body.items as Array<{ subject: string }>;
      expect(activity.filter((a) => a.subject === email || a.subject === 'support@contoso.com')).toEqual([]);
      const me = await call(diego, 'GET', '/api/tab/me');
      expect(me.status).toBe(200);
      expect(me.body.reach).toEqual({ all: false, mailboxes: [], problem: null });
    });
    expect(lines).toEqual([]);
  });

  it('lets a forged team parameter narrow only: the team’s own id shows an outsider nothing more', async () => {
    await unchanged(async () => {
      const team = encodeURIComponent(FIXTURE_IDS.teamId);
      expect((await call(diego, 'GET', `/api/tab/associations?team=${team}`)).body.items).toEqual([]);
      expect((await call(diego, 'GET', `/api/tab/claims?team=${team}`)).body.people).toEqual([]);
      expect((await call(diego, 'GET', `/api/tab/rules?team=${team}`)).body.items).toEqual([]);
      expect((await call(diego, 'GET', `/api/tab/mailboxes?team=${team}`)).body.items).toEqual([]);
      // A member's view narrowed to another team is empty, not wider.
      expect((await call(alex, 'GET', '/api/tab/associations?team=19%3Aother%40thread.tacv2')).body.items).toEqual([]);
    });
  });

  it.each([
    ['retry a save', () => `/api/tab/associations/a-alex/retry`],
    ['release a claim', () => `/api/tab/claims/${email}/release`],
    ['turn a rule off', () => '/api/tab/rules/r-alex/off'],
    ['try the mailbox’s failed jobs again', () => `/api/tab/mailboxes/${mailboxId}/retry-failed`],
  ])('answers an outsider’s attempt to %s with 404, nothing changed, one line', async (_what, path) => {
    const lines = await unchanged(async () => {
      const res = await call(diego, 'POST', path());
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request refused', status: 404, code: 'not_found' })]);
  });

  it('refuses another tenant’s token before any lookup', async () => {
    const lines = await unchanged(async () => {
      const res = await call(alex, 'GET', '/api/tab/associations', 'bbbbbbbb-0000-4000-8000-00000000000b');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('wrong_tenant');
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request refused', status: 403 })]);
  });
});

describe.each(testEngines())('the Dashboard when Graph refuses the team roster, on %s', (engine) => {
  let h: Harness;
  let email: string;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const granted = GRAPH_APP_PERMISSIONS.filter((p) => !p.startsWith('TeamMember.'));
    ({ h, email } = await startScene(engine, logLines, granted));
  }, 60_000);
  afterAll(async () => h?.close());

  it('shows a member only their own rows, says why and what to grant, changes nothing, one line', async () => {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const lines = logLines.length;
    const requests = h.sandbox.graph.state.requests.length;
    const token = await h.tabToken(asUser(diego));
    const get = async (path: string) =>
      // biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON bodies loosely.
      (await (await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    const alexToken = await h.tabToken(asUser(alex));
    const alexGet = async (path: string) =>
      // biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON bodies loosely.
      (await (await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${alexToken}` } })).json()) as any;
    // Alex is in the team, but Mailroom cannot read its roster: his own save, claim and rule only.
    expect((await alexGet('/api/tab/associations')).items.map((r: { id: string }) => r.id)).toEqual(['a-alex']);
    expect((await alexGet('/api/tab/claims')).people[0].claims.map((c: { emailId: string }) => c.emailId)).toEqual([
      email,
    ]);
    expect((await alexGet('/api/tab/mailboxes')).items).toEqual([]);
    const me = await alexGet('/api/tab/me');
    expect(me.reach.mailboxes).toEqual([]);
    expect(me.reach.problem).toMatchObject({
      code: 'team_members_unreadable',
      title: 'Mailroom could not read which teams you are in.',
    });
    expect(me.reach.problem.fix).toContain('TeamMember.Read.All');
    expect((await get('/api/tab/associations')).items.map((r: { id: string }) => r.id)).toEqual(['a-diego']);
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    const asked = h.sandbox.graph.state.requests.slice(requests);
    // One refused roster read, remembered for the next 30 seconds: every later request is answered from it.
    expect(asked.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /v1.0/teams/${SANDBOX_TEAM_GROUP_ID}/members 403`,
    ]);
    expect(logLines.slice(lines)).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('could not read the team roster') }),
    ]);
  });
});
