import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicense } from '../../../bot/src/sandbox/license-keys.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, emailId, PEOPLE, type Person } from './kit.js';

// The fixture team as Teams names it, with the AAD group id Graph knows it by. The Graph emulator's roster of
// that group has Adele as owner and Alex and Megan as members. Isaiah alone is in MAILROOM_ADMINS (he watches the
// mailboxes, as only a listed admin may), so Adele is an admin here only as the team's owner.
const team = { id: FIXTURE_IDS.teamId, aadGroupId: FIXTURE_IDS.aadGroupId };

async function sayInTeam(h: Harness, command: string, who: Person): Promise<string> {
  const before = h.connector.posts.length;
  await h.send(channelCommand(command, { from: who, channelData: { team } }));
  const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
  return JSON.stringify(cardOf(reply) ?? null);
}

async function clickInTeam(h: Harness, verb: string, data: Record<string, unknown>, who: Person) {
  const res = await h.send(
    // As real Teams sends a card click: the team's id but not its group id, which Mailroom looks up.
    activity('cardAction', {
      from: who,
      value: { action: { type: 'Action.Execute', verb, data } },
    }),
  );
  const body = res.body as { type?: string; value?: unknown };
  return { kind: body.type === 'application/vnd.microsoft.card.adaptive' ? 'card' : 'message', body };
}

describe('the owners of the team are Mailroom admins (Graph team roster)', () => {
  let h: Harness;
  beforeAll(async () => {
    const license = await issueDemoLicense(FIXTURE_IDS.tenantId, { seats: 5 });
    h = await startHarness({
      netsuite: false,
      env: {
        LICENSE_KEY: license.key,
        LICENSE_PUBLIC_KEY: license.publicKeyPem,
        MAILROOM_ADMINS: sandboxPerson('isaiah').oid,
      },
    });
    await h.watch('support@contoso.com');
    await h.watch('sales@contoso.com');
  });
  afterAll(async () => h?.close());

  it("lets a team owner turn off someone else's autopilot rule, and not a plain member", async () => {
    expect(await sayInTeam(h, '/license assign sales@', PEOPLE.megan)).toContain('Only a Mailroom admin');
    expect(await sayInTeam(h, '/license assign sales@', PEOPLE.adele)).toContain(
      'sales@contoso.com now has a Mailroom license',
    );
    expect(await sayInTeam(h, '/autopilot on sales@', PEOPLE.alex)).toContain('Autopilot is on for sales@contoso.com');
    expect(await sayInTeam(h, '/autopilot off sales@', PEOPLE.megan)).toContain(
      'only Alex Wilber or an admin can turn it off.',
    );
    expect(await sayInTeam(h, '/autopilot off sales@', PEOPLE.adele)).toContain(
      'Autopilot for sales@contoso.com is off.',
    );
    // Graph was asked for the roster by the team's group id.
    const asked = h.sandbox.graph.state.requests.filter((r) => r.path === `/v1.0/teams/${team.aadGroupId}/members`);
    expect(asked.length).toBeGreaterThan(0);
  });

  it("lets a team owner turn off someone else's rule in the Dashboard too, and not a plain member", async () => {
    expect(await sayInTeam(h, '/license assign support@', PEOPLE.adele)).toContain('now has a Mailroom license');
    expect(await sayInTeam(h, '/autopilot on support@', PEOPLE.alex)).toContain('Autopilot is on');
    // /watch learned the team's group id from Teams, so the Dashboard knows whose owners count for this mailbox.
    const mailbox = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'support@contoso.com');
    expect(mailbox?.teamGroupId).toBe(team.aadGroupId);

    const asUser = (p: Person) => ({ oid: p.aadObjectId, name: p.name, upn: `${p.name.split(' ')[0]}@contoso.com` });
    const tab = async (method: 'GET' | 'POST', path: string, p: Person) => {
      const res = await fetch(`${h.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await h.tabToken(asUser(p))}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const rule = async (p: Person) => {
      const items = (await tab('GET', '/api/tab/rules', p)).body.items as Array<Record<string, unknown>>;
      return items.find((r) => (r.mailbox as { address: string }).address === 'support@contoso.com');
    };
    const seenByMegan = await rule(PEOPLE.megan);
    expect(seenByMegan).toMatchObject({ owner: { name: 'Alex Wilber' }, canTurnOff: false });
    expect((await rule(PEOPLE.adele))?.canTurnOff).toBe(true);

    const refused = await tab('POST', `/api/tab/rules/${seenByMegan?.id}/off`, PEOPLE.megan);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("an owner of the mailbox's team");
    expect((await tab('POST', `/api/tab/rules/${seenByMegan?.id}/off`, PEOPLE.adele)).status).toBe(200);
    expect((await h.mailroom.repos.rules.get(FIXTURE_IDS.tenantId, String(seenByMegan?.id)))?.active).toBe(false);

    // The activity log has the watches too, in words.
    const watched = (await tab('GET', '/api/tab/activity?action=watch', PEOPLE.megan)).body.items as Array<{
      summary: string;
    }>;
    expect(watched.map((a) => a.summary)).toEqual([
      expect.stringMatching(/^watched sales@contoso.com in /),
      expect.stringMatching(/^watched support@contoso.com in /),
    ]);
  });

  it("counts a team's owners as admins for that team's mailboxes only, wherever they type", async () => {
    // Megan owns another team that Mailroom is in, and nothing in Contoso Support Team.
    h.sandbox.graph.state.teams.push({
      aadGroupId: '7d7d7d7d-0000-4000-8000-0000000000aa',
      displayName: 'Contoso Sales Team',
      members: [
        { userId: PEOPLE.megan.aadObjectId, displayName: 'Megan Bowen', email: 'megan@contoso.com', role: 'owner' },
      ],
    });
    const otherTeam = { id: '19:sales-team@thread.tacv2', aadGroupId: '7d7d7d7d-0000-4000-8000-0000000000aa' };
    expect(await sayInTeam(h, '/autopilot on sales@', PEOPLE.alex)).toContain('Autopilot is on for sales@contoso.com');
    const before = h.connector.posts.length;
    await h.send(
      channelCommand('/autopilot off sales@', {
        from: PEOPLE.megan,
        channelData: { team: otherTeam },
      }),
    );
    const refused = JSON.stringify(h.connector.posts.slice(before));
    expect(refused).toContain('only Alex Wilber or an admin can turn it off.');
    const seat = h.connector.posts.length;
    await h.send(channelCommand('/license unassign sales@', { from: PEOPLE.megan, channelData: { team: otherTeam } }));
    expect(JSON.stringify(h.connector.posts.slice(seat))).toContain('Only a Mailroom admin');

    // Adele owns the team sales@ posts to: from her personal chat with the bot, she may.
    const personal = h.connector.posts.length;
    await h.send(activity('personalMessage', { from: PEOPLE.adele, text: '/autopilot off sales@' }));
    expect(JSON.stringify(h.connector.posts.slice(personal))).toContain('Autopilot for sales@contoso.com is off.');
  });

  it("lets a team owner release someone else's claim, and not a plain member", async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Owner release' });
    await h.settle();
    const id = await emailId(h, 'Owner release');
    expect((await clickInTeam(h, 'claim', { emailId: id }, PEOPLE.megan)).kind).toBe('card');

    const refused = await clickInTeam(h, 'release', { emailId: id }, PEOPLE.alex);
    expect(refused.kind).toBe('message');
    expect(String(refused.body.value)).toContain('only Megan Bowen or a Mailroom admin can release it');

    expect((await clickInTeam(h, 'release', { emailId: id }, PEOPLE.adele)).kind).toBe('card');
    const claims = await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute();
    expect(claims).toHaveLength(0);

    // The same in the Dashboard's Claims view, through the real server: a member is refused, the owner releases.
    expect((await clickInTeam(h, 'claim', { emailId: id }, PEOPLE.megan)).kind).toBe('card');
    const release = async (p: Person) =>
      fetch(`${h.url}/api/tab/claims/${encodeURIComponent(id)}/release`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await h.tabToken({ oid: p.aadObjectId, name: p.name, upn: `${p.name.split(' ')[0]}@contoso.com` })}`,
        },
      });
    expect((await release(PEOPLE.alex)).status).toBe(403);
    expect((await release(PEOPLE.adele)).status).toBe(200);
    expect(await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute()).toEqual(
      [],
    );
    await h.settle();
    const card = JSON.stringify(
      [...h.connector.cards().values()].find((c) => JSON.stringify(c).includes('Owner release')),
    );
    expect(card).not.toContain('Claimed by');
  });
});
