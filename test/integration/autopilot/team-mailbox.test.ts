import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_PERMISSIONS } from '../../../bot/src/mail/graph-permissions.js';
import { SANDBOX_TEAM_GROUP_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { issueDemoLicense } from '../../../bot/src/sandbox/license-keys.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import type { Engine } from '../../../bot/src/store/db.js';
import { testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, PEOPLE, say } from './kit.js';

const SUPPORT = 'support@contoso.com';
const OTHER_TENANT = '0bad7e4a-1111-4222-8333-444455556666';
const diegoPerson = sandboxPerson('diego');
const DIEGO = { id: diegoPerson.mri, name: diegoPerson.displayName, aadObjectId: diegoPerson.oid };
/** A channel of another team of the tenant (Teams names that team's group on the activity here). */
const OTHER_TEAM = {
  conversation: { id: '19:0ther0channel@thread.tacv2;messageid=1' },
  channelData: {
    teamsChannelId: '19:0ther0channel@thread.tacv2',
    teamsTeamId: '19:0ther0team@thread.tacv2',
    channel: { id: '19:0ther0channel@thread.tacv2' },
    team: { id: '19:0ther0team@thread.tacv2', aadGroupId: '0e0e0e0e-1111-4222-8333-0ther0team000' },
  },
};
const REFUSED = `Only members of the team that gets ${SUPPORT}’s cards`;
const ROSTER = `GET /v1.0/teams/${SANDBOX_TEAM_GROUP_ID}/members`;

type Who = typeof DIEGO;

/**
 * `/autopilot on|status <shared mailbox>` only for a member of the team that gets its cards (or a listed admin),
 * through the whole of Mailroom: support@ is watched in the sandbox team, of which Diego is not a member here.
 */
async function startScene(engine: Engine, logLines: Array<Record<string, unknown>>, permissions?: string[]) {
  const license = await issueDemoLicense(FIXTURE_IDS.tenantId, { seats: 5 });
  const h = await startHarness({
    engine,
    netsuite: false,
    logLines,
    env: {
      LICENSE_KEY: license.key,
      LICENSE_PUBLIC_KEY: license.publicKeyPem,
      MAILROOM_ADMINS: PEOPLE.adele.aadObjectId,
    },
  });
  if (permissions) h.sandbox.graph.grantPermissions(permissions);
  const team = h.sandbox.graph.state.teams.find((t) => t.aadGroupId === SANDBOX_TEAM_GROUP_ID);
  if (!team) throw new Error('no sandbox team');
  team.members = team.members.filter((m) => m.userId !== DIEGO.aadObjectId);
  await h.watch(SUPPORT);
  expect(await say(h, `/license assign ${SUPPORT}`)).toContain('now has a Mailroom license');
  return h;
}

/** What `who` reads in answer to `command`, typed where `where` says. */
async function typed(h: Harness, command: string, who: Who, where: 'team' | 'other team' | 'chat' = 'team') {
  const before = h.connector.posts.length;
  const res = await h.send(
    where === 'chat'
      ? activity('personalMessage', { text: command, from: who })
      : channelCommand(command, { from: who, ...(where === 'other team' ? OTHER_TEAM : {}) }),
  );
  expect(res.status).toBe(200);
  const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
  return JSON.stringify(cardOf(reply) ?? null);
}

/** Runs `act`; proves no row changed, Graph was asked for the team roster at most and Teams got only the answer. */
async function unchanged(h: Harness, logLines: Array<Record<string, unknown>>, act: () => Promise<void>) {
  await h.settle();
  const before = await dbSnapshot(h.mailroom.db.kysely);
  const graph = h.sandbox.graph.state.requests.length;
  const teams = h.connector.requests.length;
  const lines = logLines.length;
  await act();
  await h.settle();
  expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
  for (const r of h.sandbox.graph.state.requests.slice(graph)) expect(`${r.method} ${r.path}`).toBe(ROSTER);
  const sent = h.connector.requests.slice(teams).map((r) => `${r.method} ${r.path}`);
  expect(sent.every((s) => /^POST \/v3\/conversations\/[^/]+\/activities/.test(s))).toBe(true);
  expect(sent.length).toBeLessThanOrEqual(1);
  return logLines.slice(lines);
}

describe.each(testEngines())('/autopilot on|status for a shared mailbox by team membership, on %s', (engine) => {
  let h: Harness;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    h = await startScene(engine, logLines);
  }, 60_000);
  afterAll(async () => h?.close());

  it('lets a member turn it on in the team’s channel, and read its status from a chat', async () => {
    expect(await typed(h, `/autopilot on ${SUPPORT}`, PEOPLE.alex)).toContain(`Autopilot is on for ${SUPPORT}`);
    const status = await typed(h, `/autopilot status ${SUPPORT}`, PEOPLE.alex, 'chat');
    expect(status).toContain('Alex Wilber');
  });

  it.each([
    ['from another team’s channel', 'other team'],
    ['from a personal chat', 'chat'],
  ] as const)('refuses someone outside the team %s: who can, nothing changed, one line', async (_name, where) => {
    for (const command of [`/autopilot on ${SUPPORT}`, `/autopilot status ${SUPPORT}`]) {
      let answer = '';
      const lines = await unchanged(h, logLines, async () => {
        answer = await typed(h, command, DIEGO, where);
      });
      expect(answer).toContain(REFUSED);
      expect(answer).toContain('or a Mailroom admin');
      expect(answer).toContain('ask one of its owners to add you to the team');
      expect(answer).not.toContain('Alex Wilber');
      expect(lines).toEqual([expect.objectContaining({ msg: 'chat command refused', code: 'forbidden' })]);
    }
  });

  it('leaves the team’s rules out of an outsider’s /autopilot status of every mailbox', async () => {
    let answer = '';
    await unchanged(h, logLines, async () => {
      answer = await typed(h, '/autopilot status', DIEGO, 'chat');
    });
    expect(answer).not.toContain(SUPPORT);
    expect(answer).not.toContain('Alex Wilber');
    expect(await typed(h, '/autopilot status', PEOPLE.alex, 'chat')).toContain('Alex Wilber');
  });

  it('lets a listed admin read it from anywhere', async () => {
    expect(await typed(h, `/autopilot status ${SUPPORT}`, PEOPLE.adele, 'other team')).toContain('Alex Wilber');
  });

  it('refuses another tenant before any handler: nothing answered, stored or asked', async () => {
    const lines = await unchanged(h, logLines, async () => {
      const res = await h.send(
        activity('personalMessage', {
          text: `/autopilot on ${SUPPORT}`,
          from: DIEGO,
          conversation: { tenantId: OTHER_TENANT },
          channelData: { tenant: { id: OTHER_TENANT } },
        }),
      );
      expect(res).toEqual({ status: 403, body: { error: { code: 'wrong_tenant', message: expect.any(String) } } });
    });
    expect(lines).toHaveLength(1);
  });
});

describe.each(testEngines())('/autopilot on a shared mailbox when Graph refuses the team roster, on %s', (engine) => {
  let h: Harness;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    h = await startScene(
      engine,
      logLines,
      GRAPH_APP_PERMISSIONS.filter((p) => !p.startsWith('TeamMember.')),
    );
  }, 60_000);
  afterAll(async () => h?.close());

  it('refuses a member in a chat, saying why and what to grant; nothing changed', async () => {
    let answer = '';
    const lines = await unchanged(h, logLines, async () => {
      answer = await typed(h, `/autopilot on ${SUPPORT}`, PEOPLE.alex, 'chat');
    });
    expect(answer).toContain(REFUSED);
    expect(answer).toContain('could not read that team’s members');
    expect(answer).toContain('TeamMember.Read.All');
    // Graph's refusal was logged once when it happened (the setup's admin check read the roster first) and is
    // remembered for 30 s: this command adds only its own refusal.
    expect(logLines.some((l) => String(l.msg).includes('could not read the team roster'))).toBe(true);
    expect(lines).toEqual([expect.objectContaining({ msg: 'chat command refused', code: 'forbidden' })]);
  });

  it('still lets a member turn it on in the team’s own channel, which Teams vouches for', async () => {
    expect(await typed(h, `/autopilot on ${SUPPORT}`, PEOPLE.alex)).toContain(`Autopilot is on for ${SUPPORT}`);
  });
});
