import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { emailId, PEOPLE } from '../autopilot/kit.js';
import { meActivity, taskOf } from '../message-extension/me-activity.js';

/** A second team of the same tenant that Mailroom is in; support@ posts to the fixture team, not here. */
const OTHER_TEAM = {
  id: '19:cc33dd44ee55ff66778899001122aabb@thread.tacv2',
  aadGroupId: '7e6d5c4b-3a29-4818-8706-f5e4d3c2b1a0',
};
const TENANT = { id: FIXTURE_IDS.tenantId };
const inOtherTeam = {
  channelData: { tenant: TENANT, team: OTHER_TEAM, channel: { id: OTHER_TEAM.id } },
  conversation: {
    id: `${OTHER_TEAM.id};messageid=1763647500999`,
    conversationType: 'channel',
    isGroup: true,
    tenantId: TENANT.id,
  },
};
/** The personal chat with the bot: no team at all. */
const inPersonalChat = {
  channelData: { tenant: TENANT, team: null, channel: null, teamsTeamId: null, teamsChannelId: null },
  conversation: { id: 'a:1personalchatwithmailroom', conversationType: 'personal', tenantId: TENANT.id },
};

/**
 * An email's card is posted only in its mailbox's channel, so only that team's members can click it. A click or a
 * "Save to NetSuite" naming the email's id from another team of the tenant (or from a chat) was forged or copied:
 * it is refused with words that name nothing of the email, nothing is stored or changed, nothing is asked of
 * Graph, NetSuite or Teams, and the refusal leaves one log line.
 */
describe('email actions from another team than the email’s mailbox', () => {
  let h: Harness;
  let id: string;
  let failedSave: string;
  const logLines: Array<Record<string, unknown>> = [];
  const SUBJECT = 'Quarterly pricing for Fabrikam';

  beforeAll(async () => {
    h = await startHarness({ logLines });
    expect((await h.watch('support@contoso.com')).status).toBe(200);
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: SUBJECT });
    await h.settle();
    id = await emailId(h, SUBJECT);
    // A failed save of this email, so that a forged retry has something it could reopen.
    failedSave = 'assoc-failed-1';
    const email = await h.mailroom.db.kysely
      .selectFrom('emails')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await h.mailroom.db.kysely
      .insertInto('associations')
      .values({
        id: failedSave,
        tenant_id: FIXTURE_IDS.tenantId,
        email_id: id,
        internet_message_id: email.internet_message_id,
        record_type: 'customer',
        record_id: '101',
        record_name: 'Fabrikam, Inc.',
        status: 'failed',
        mode: 'one-time',
        rule_id: null,
        external_id: 'mr-forged-retry-1',
        netsuite_message_id: null,
        attachments_json: null,
        saved_by_id: PEOPLE.adele.aadObjectId,
        saved_by_name: 'Adele Vance',
        error_code: 'netsuite_unavailable',
        error_message: 'NetSuite did not answer.',
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
  });
  afterAll(async () => h?.close());

  const outside = () => ({
    graph: h.sandbox.graph.state.requests.length,
    netsuite: h.sandbox.netsuite.state.counters.requests,
    teams: h.connector.requests.length,
  });

  /** Runs `act` and checks that nothing changed anywhere; returns the log lines it left. */
  async function nothingChanged(act: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const calls = outside();
    const lines = logLines.length;
    await act();
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(outside()).toEqual(calls);
    return logLines.slice(lines);
  }

  const click = (verb: string, data: Record<string, unknown>, where: Record<string, unknown>) =>
    h.send(
      activity('cardAction', {
        from: PEOPLE.alex,
        ...where,
        value: { action: { type: 'Action.Execute', verb, data } },
      }),
    );

  const clicks: Array<[string, string, () => Record<string, unknown>]> = [
    ['claim', Verb.claim, () => ({ emailId: id })],
    ['refresh (which would show the card)', Verb.refresh, () => ({ emailId: id })],
    ['save to a record', Verb.save, () => ({ emailId: id, records: 'customer:101' })],
    ['autopilot on the sender', Verb.autopilot, () => ({ emailId: id, records: 'customer:101' })],
    ['find a record', Verb.find, () => ({ emailId: id, find: 'Fabrikam' })],
    ['retry a failed save', Verb.retry, () => ({ emailId: id, associationId: failedSave })],
    ['release', Verb.release, () => ({ emailId: id })],
  ];

  for (const [where, place] of [
    ['another team', inOtherTeam],
    ['a personal chat', inPersonalChat],
  ] as const) {
    it.each(clicks)(`refuses a ${'%s'} click from ${where}`, async (_name, verb, data) => {
      const lines = await nothingChanged(async () => {
        const res = await click(verb, data(), place);
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        expect(text).not.toContain('application/vnd.microsoft.card.adaptive');
        expect(text).not.toContain(SUBJECT);
        expect(text).not.toContain('ana@fabrikam.com');
        expect(text).toMatch(/another team/);
      });
      expect(lines).toEqual([expect.objectContaining({ msg: 'card action refused', code: 'forbidden' })]);
    });
  }

  /** The payload Teams would send for Mailroom's email card, had it been posted where the action is started. */
  const forgedCardPayload = () => ({
    id: '1763649000777',
    from: { user: null, application: { id: FIXTURE_IDS.appId, displayName: 'Mailroom' } },
    body: { contentType: 'html', content: '<attachment id="a1"></attachment>' },
    attachments: [
      {
        id: 'a1',
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: JSON.stringify({
          type: 'AdaptiveCard',
          actions: [{ type: 'Action.Execute', verb: 'claim', data: { emailId: id } }],
        }),
      },
    ],
  });

  it('opens no "Save to NetSuite" dialog about the email from another team, and shows nothing of it', async () => {
    const lines = await nothingChanged(async () => {
      const res = await h.send({ ...meActivity('fetchTask', { messagePayload: forgedCardPayload() }), ...inOtherTeam });
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(SUBJECT);
      expect(text).not.toContain('ana@fabrikam.com');
      expect(text).toMatch(/another team/);
    });
    expect(lines).toEqual([expect.objectContaining({ code: 'forbidden' })]);
  });

  it.each([
    ['an email card of another team', () => ({ messagePayload: forgedCardPayload() })],
    ['an email id of another team in the dialog’s data', () => ({ data: { emailId: id, records: 'customer:101' } })],
  ])('saves nothing from a "Save to NetSuite" on %s', async (_name, value) => {
    const lines = await nothingChanged(async () => {
      const base = meActivity('submitAction');
      const merged = value() as { data?: Record<string, unknown> };
      const v = { ...(base.value as Record<string, unknown>), ...merged };
      if (!merged.data) v.data = { ...((base.value as { data?: Record<string, unknown> }).data ?? {}) };
      const res = await h.send({ ...base, value: v, ...inOtherTeam });
      expect(res.status).toBe(200);
      const answer = String(taskOf(res.body).value);
      expect(answer).not.toContain(SUBJECT);
      expect(answer).toMatch(/another team/);
    });
    expect(lines).toEqual([expect.objectContaining({ code: 'forbidden' })]);
  });

  it('reopens no save of another email: a retry click’s save must be of the email its card names', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'bo@fabrikam.com', subject: 'Second email' });
    await h.settle();
    const second = await emailId(h, 'Second email');
    const lines = await nothingChanged(async () => {
      const res = await click(Verb.retry, { emailId: second, associationId: failedSave }, {});
      expect(res.status).toBe(200);
    });
    expect(lines).toEqual([expect.objectContaining({ code: 'card_out_of_date' })]);
  });

  it('still lets the email’s own team claim it', async () => {
    // A click in the fixture team, whose channel gets support@'s cards, works as before.
    const own = await click(Verb.claim, { emailId: id }, {});
    expect(JSON.stringify(own.body)).toContain('application/vnd.microsoft.card.adaptive');
    await h.settle();
    const claims = await h.mailroom.db.kysely.selectFrom('claims').select(['email_id', 'user_id']).execute();
    expect(claims).toEqual([{ email_id: id, user_id: PEOPLE.alex.aadObjectId }]);
  });
});
