import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_GROUP_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { CommandVerb, Verb } from '../../../bot/src/teams/actions.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, click, emailId, PEOPLE, type Person } from '../autopilot/kit.js';

// The fixture team's Graph roster: Adele owns it, Alex and Megan are members. Isaiah is listed in MAILROOM_ADMINS.
const isaiah = sandboxPerson('isaiah');
const ISAIAH = { id: isaiah.mri, name: isaiah.displayName, aadObjectId: isaiah.oid };
const SALES = { id: '19:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f@thread.tacv2', name: 'Sales' };
/** Another team, whose roster Graph does not know: nobody here owns it. */
const OTHER_TEAM = {
  id: '19:aa11bb22cc33dd44ee55ff6677889900@thread.tacv2',
  aadGroupId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
};

describe('/watch, /unwatch and moves: admins, team owners and mailbox owners only', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false, env: { MAILROOM_ADMINS: isaiah.oid } });
  });
  afterAll(async () => h?.close());

  /** `@Mailroom <command>` as `who`, in `channel` (Support by default); the answer card's text. */
  async function say(command: string, who: Person, extra: Record<string, unknown> = {}): Promise<string> {
    const before = h.connector.posts.length;
    const res = await h.send(channelCommand(command, { from: who, ...extra }));
    expect(res.status).toBe(200);
    const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
    return JSON.stringify(cardOf(reply) ?? null);
  }
  const inSales = { conversation: { id: `${SALES.id};messageid=1` }, channelData: { channel: SALES } };
  const subscriptions = () => h.sandbox.graph.state.subscriptions.size;

  /** The command is answered with `refusal`, and nothing in the database or in Graph changed. */
  async function refused(command: string, who: Person, refusal: RegExp, extra: Record<string, unknown> = {}) {
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const subs = subscriptions();
    expect(await say(command, who, extra)).toMatch(refusal);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(subscriptions()).toBe(subs);
  }

  it('refuses a plain member’s /watch of a shared mailbox, and lets the team owner watch it', async () => {
    await refused('/watch support@contoso.com', PEOPLE.alex, /Only a Mailroom admin or an owner of this team/);
    expect(await say('/watch support@contoso.com', PEOPLE.adele)).toContain('Now watching support@contoso.com');
  });

  it('refuses a plain member’s /unwatch', async () => {
    await refused('/unwatch support@', PEOPLE.alex, /Only a Mailroom admin or an owner of the team/);
  });

  it('refuses /watch of a colleague’s own mailbox, even by a team owner; the owner and a listed admin may', async () => {
    await refused('/watch megan@contoso.com', PEOPLE.alex, /only its owner or a Mailroom admin/);
    await refused('/watch megan@contoso.com', PEOPLE.adele, /only its owner or a Mailroom admin/);
    expect(await say('/watch me', PEOPLE.megan, inSales)).toContain('Now watching megan@contoso.com');
    expect(await say('/unwatch megan@', ISAIAH)).toContain('Stopped watching megan@contoso.com');
    expect(await say('/watch megan@contoso.com', ISAIAH, inSales)).toContain('Now watching megan@contoso.com');
    await refused('/unwatch megan@', PEOPLE.alex, /Only a Mailroom admin/);
  });

  it('refuses to move a mailbox into a team the mover owns but the mailbox’s team does not', async () => {
    // Adele owns the fixture team only; from another team she is not an owner of both.
    await refused('/watch support@contoso.com', PEOPLE.adele, /only a Mailroom admin, or an owner of both teams/, {
      channelData: { team: OTHER_TEAM, channel: { id: OTHER_TEAM.id, name: 'General' } },
      conversation: { id: OTHER_TEAM.id },
    });
  });

  it('asks before moving a mailbox to another channel, moves it on confirmation, and audits the move', async () => {
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const asked = await say('/watch support@contoso.com', PEOPLE.adele, inSales);
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
    // A plain member crafting the same click gains nothing; nor does a click meant for another channel.
    expect(await click(PEOPLE.alex)).toMatch(/only a Mailroom admin, or an owner of both teams/);
    expect(await click(PEOPLE.adele, FIXTURE_IDS.supportChannelId)).toMatch(/belongs to another channel/);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);

    expect(await click(PEOPLE.adele)).toContain('support@contoso.com moved here from');
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
        actor_id: PEOPLE.adele.aadObjectId,
        subject: 'support@contoso.com',
        detail: expect.stringContaining('"to":"Sales"'),
      },
    ]);
  });

  it('shows in the Dashboard who is an admin, and why', async () => {
    const me = async (key: string) => {
      const p = sandboxPerson(key);
      const token = await h.tabToken({ oid: p.oid, name: p.displayName, upn: p.upn });
      const res = await fetch(`${h.url}/api/tab/me`, { headers: { authorization: `Bearer ${token}` } });
      return (await res.json()) as { isAdmin: boolean; admin: { listed: boolean; ownerOf: string[]; why: string } };
    };
    expect(await me('isaiah')).toMatchObject({
      isAdmin: true,
      admin: { listed: true, why: expect.stringMatching(/MAILROOM_ADMINS/) },
    });
    expect(await me('adele')).toMatchObject({
      isAdmin: true,
      admin: {
        listed: false,
        ownerOf: expect.arrayContaining(['support@contoso.com']),
        why: expect.stringMatching(/owner of the team/),
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
