import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_GROUP_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { CommandVerb, Verb } from '../../../bot/src/teams/actions.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, click, emailId, PEOPLE, type Person } from '../autopilot/kit.js';

// The fixture team's Graph roster: Adele owns it, Alex and Megan are members. Isaiah is listed in MAILROOM_ADMINS,
// so here Adele is a team owner and not a listed admin.
const isaiah = sandboxPerson('isaiah');
const ISAIAH = { id: isaiah.mri, name: isaiah.displayName, aadObjectId: isaiah.oid };
const SALES = { id: '19:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f@thread.tacv2', name: 'Sales' };
/** Another team, whose roster Graph does not know: nobody here owns it. */
const OTHER_TEAM = {
  id: '19:aa11bb22cc33dd44ee55ff6677889900@thread.tacv2',
  aadGroupId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
};

describe('/watch, /unwatch and moves: listed admins, and a person for their own mailbox, only', () => {
  let h: Harness;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    h = await startHarness({ netsuite: false, logLines, env: { MAILROOM_ADMINS: isaiah.oid } });
  });
  afterAll(async () => h?.close());

  /**
   * `@Mailroom <command>` as `who`, in `channel` (Support by default); the answer card's text, with markdown's
   * escaped underscores (MAILROOM\\_ADMINS) read as Teams shows them.
   */
  async function say(command: string, who: Person, extra: Record<string, unknown> = {}): Promise<string> {
    const before = h.connector.posts.length;
    const res = await h.send(channelCommand(command, { from: who, ...extra }));
    expect(res.status).toBe(200);
    const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
    return JSON.stringify(cardOf(reply) ?? null).replaceAll('\\\\_', '_');
  }
  const inSales = { conversation: { id: `${SALES.id};messageid=1` }, channelData: { channel: SALES } };
  const subscriptions = () => h.sandbox.graph.state.subscriptions.size;
  const subscribeCalls = () =>
    h.sandbox.graph.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/subscriptions')).length;

  /**
   * The command is answered with `refusal`; nothing in the database or in Graph changed, no subscription was asked
   * for, and the refusal left one log line.
   */
  async function refused(command: string, who: Person, refusal: RegExp, extra: Record<string, unknown> = {}) {
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const subs = subscriptions();
    const calls = subscribeCalls();
    const lines = logLines.length;
    expect(await say(command, who, extra)).toMatch(refusal);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(subscriptions()).toBe(subs);
    expect(subscribeCalls()).toBe(calls);
    expect(logLines.slice(lines)).toEqual([
      expect.objectContaining({ code: 'forbidden', msg: 'chat command refused' }),
    ]);
  }
  const ONLY_ADMINS = /Only a Mailroom admin \(listed in MAILROOM_ADMINS or a member of MAILROOM_ADMIN_GROUP_ID\)/;

  it('refuses a team owner who is not a listed admin the first /watch of a shared mailbox, saying who can', async () => {
    // Adele owns the fixture team (Graph's roster says so), and that is not enough.
    expect(await say('/watch support@contoso.com', PEOPLE.alex)).toMatch(ONLY_ADMINS);
    await refused('/watch support@contoso.com', PEOPLE.adele, ONLY_ADMINS);
    await refused(
      '/watch support@contoso.com',
      PEOPLE.adele,
      /Ask a Mailroom admin to type \/watch support@contoso.com/,
    );
    expect(await say('/watch support@contoso.com', ISAIAH)).toContain('Now watching support@contoso.com');
  });

  it('refuses a plain member’s and a team owner’s /watch again of a watched shared mailbox, in its own channel', async () => {
    await refused('/watch support@contoso.com', PEOPLE.alex, /only a Mailroom admin .* can move it or watch it again/);
    await refused('/watch support@contoso.com', PEOPLE.adele, /only a Mailroom admin .* can move it or watch it again/);
  });

  it('refuses a plain member’s and a team owner’s /unwatch of a shared mailbox', async () => {
    await refused('/unwatch support@', PEOPLE.alex, /Only a Mailroom admin .* can unwatch support@contoso.com/);
    await refused('/unwatch support@', PEOPLE.adele, /Only a Mailroom admin .* can unwatch support@contoso.com/);
  });

  it('refuses /watch of a colleague’s own mailbox, even by a team owner; the owner and a listed admin may', async () => {
    await refused('/watch megan@contoso.com', PEOPLE.alex, /only its owner or a Mailroom admin/);
    await refused('/watch megan@contoso.com', PEOPLE.adele, /only its owner or a Mailroom admin/);
    expect(await say('/watch me', PEOPLE.megan, inSales)).toContain('Now watching megan@contoso.com');
    await refused('/unwatch megan@', PEOPLE.alex, /Only its owner or a Mailroom admin/);
    await refused('/unwatch megan@', PEOPLE.adele, /Only its owner or a Mailroom admin/);
    expect(await say('/unwatch megan@', ISAIAH)).toContain('Stopped watching megan@contoso.com');
    expect(await say('/watch megan@contoso.com', ISAIAH, inSales)).toContain('Now watching megan@contoso.com');
    expect(await say('/unwatch me', PEOPLE.megan, inSales)).toContain('Stopped watching megan@contoso.com');
  });

  it('refuses a team owner’s move of a shared mailbox, into their own team or another', async () => {
    await refused('/watch support@contoso.com', PEOPLE.adele, /can move it/, inSales);
    await refused('/watch support@contoso.com', PEOPLE.adele, /can move it/, {
      channelData: { team: OTHER_TEAM, channel: { id: OTHER_TEAM.id, name: 'General' } },
      conversation: { id: OTHER_TEAM.id },
    });
  });

  it('asks a listed admin before moving a mailbox to another channel, moves it on confirmation, and audits it', async () => {
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const asked = await say('/watch support@contoso.com', ISAIAH, inSales);
    expect(asked).toContain('Move support@contoso.com here?');
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);

    const click = async (who: Person, channel = SALES.id) => {
      const res = await h.send(
        activity('cardAction', {
          from: who,
          conversation: { id: `${SALES.id};messageid=2` },
          channelData: { channel: SALES },
          value: {
            action: {
              type: 'Action.Execute',
              verb: CommandVerb.moveMailbox,
              data: { address: 'support@contoso.com', channel },
            },
          },
        }),
      );
      expect(res.status).toBe(200);
      return JSON.stringify(res.body);
    };
    // A plain member or the team's owner crafting the same click gains nothing; nor does a click for another channel.
    expect(await click(PEOPLE.alex)).toMatch(/only a Mailroom admin .* can move it/);
    expect(await click(PEOPLE.adele)).toMatch(/only a Mailroom admin .* can move it/);
    expect(await click(ISAIAH, FIXTURE_IDS.supportChannelId)).toMatch(/belongs to another channel/);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);

    expect(await click(ISAIAH)).toContain('support@contoso.com moved here from');
    const mailbox = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'support@contoso.com');
    expect(mailbox?.channelConversationId).toBe(SALES.id);
    const audit = await h.mailroom.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'subject', 'detail'])
      .where('action', '=', 'move')
      .execute();
    expect(audit).toEqual([
      {
        action: 'move',
        actor_id: isaiah.oid,
        subject: 'support@contoso.com',
        detail: expect.stringContaining('"to":"Sales"'),
      },
    ]);
  });

  it('shows in the Dashboard who is an admin, why, and what that lets them do', async () => {
    const me = async (key: string) => {
      const p = sandboxPerson(key);
      const token = await h.tabToken({ oid: p.oid, name: p.displayName, upn: p.upn });
      const res = await fetch(`${h.url}/api/tab/me`, { headers: { authorization: `Bearer ${token}` } });
      return (await res.json()) as { isAdmin: boolean; admin: { listed: boolean; ownerOf: string[]; why: string } };
    };
    expect(await me('isaiah')).toMatchObject({
      isAdmin: true,
      admin: { listed: true, why: expect.stringMatching(/MAILROOM_ADMINS.*watch, move and unwatch mailboxes/) },
    });
    expect(await me('adele')).toMatchObject({
      isAdmin: true,
      admin: {
        listed: false,
        ownerOf: expect.arrayContaining(['support@contoso.com']),
        why: expect.stringMatching(
          /owner of the team that gets their cards, so you may turn off their autopilot rules, release their claims.*Watching, moving and unwatching a shared mailbox is for admins listed in MAILROOM_ADMINS/,
        ),
      },
    });
    expect(await me('alex')).toMatchObject({
      isAdmin: false,
      admin: { listed: false, ownerOf: [], why: expect.stringMatching(/^Not a Mailroom admin/) },
    });
  });
});

describe('card clicks: admin of the email’s own mailbox team, whatever team the click comes from', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Claimed by Megan' });
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('refuses a release crafted from a team the clicker owns, for an email of another team', async () => {
    // Alex owns a second team; the email's mailbox posts to the fixture team, where he is a plain member.
    const other = {
      id: '19:bb22cc33dd44ee55ff66778899001122@thread.tacv2',
      aadGroupId: 'aa11bb22-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
    };
    h.sandbox.graph.state.teams.push({
      aadGroupId: other.aadGroupId,
      displayName: 'Alex’s team',
      members: [
        { userId: PEOPLE.alex.aadObjectId, displayName: 'Alex Wilber', email: 'alex@contoso.com', role: 'owner' },
      ],
    });
    const id = await emailId(h, 'Claimed by Megan');
    expect((await click(h, Verb.claim, { emailId: id }, PEOPLE.megan)).kind).toBe('card');
    const res = await h.send(
      activity('cardAction', {
        from: PEOPLE.alex,
        channelData: { team: other, channel: { id: other.id } },
        conversation: { id: `${other.id};messageid=9` },
        value: { action: { type: 'Action.Execute', verb: Verb.release, data: { emailId: id } } },
      }),
    );
    expect(JSON.stringify(res.body)).not.toContain('"type":"application/vnd.microsoft.card.adaptive"');
    const claims = await h.mailroom.db.kysely.selectFrom('claims').select(['email_id', 'user_id']).execute();
    expect(claims).toEqual([{ email_id: id, user_id: PEOPLE.megan.aadObjectId }]);
  });
});

describe('admins from an Entra group (MAILROOM_ADMIN_GROUP_ID), direct or nested', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false, env: { MAILROOM_ADMIN_GROUP_ID: SANDBOX_ADMIN_GROUP_ID } });
  });
  afterAll(async () => h?.close());

  const say = async (command: string, who: Person) => {
    const before = h.connector.posts.length;
    await h.send(channelCommand(command, { from: who }));
    return JSON.stringify(cardOf(h.connector.posts.slice(before).find((p) => p.op === 'reply')) ?? null);
  };
  const person = (key: string) => {
    const p = sandboxPerson(key);
    return { id: p.mri, name: p.displayName, aadObjectId: p.oid };
  };

  it('lets a nested member of the admin group watch a colleague’s mailbox, and not a plain member', async () => {
    expect(await say('/watch megan@contoso.com', PEOPLE.alex)).toMatch(/only its owner or a Mailroom admin/);
    expect(await say('/watch megan@contoso.com', person('lee'))).toContain('Now watching megan@contoso.com');
    expect(await say('/unwatch megan@', person('isaiah'))).toContain('Stopped watching megan@contoso.com');
    const asked = h.sandbox.graph.state.requests.filter((r) =>
      r.path.endsWith('/transitiveMemberOf/microsoft.graph.group'),
    );
    expect(asked.length).toBeGreaterThan(0);
  });
});
