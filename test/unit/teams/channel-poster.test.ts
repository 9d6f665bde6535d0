import { type ConversationReference, TurnContext } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { Pacer } from '../../../bot/src/jobs/pacer.js';
import { createLogger } from '../../../bot/src/log.js';
import { ConversationRepo } from '../../../bot/src/store/repos/conversations.js';
import { createTeamsAdapter } from '../../../bot/src/teams/adapter.js';
import { TeamsChannelPoster } from '../../../bot/src/teams/channel-poster.js';
import { MAX_ACTIVITY_UTF16_BYTES } from '../../../bot/src/teams/connector-failure.js';
import { activity, FIXTURE_IDS } from '../../helpers/bot-framework.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { type FakeConnector, startFakeConnector } from '../../helpers/fake-connector.js';

const { tenantId, supportChannelId: channel } = FIXTURE_IDS;
const card = (text: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text, wrap: true }],
});

describe('TeamsChannelPoster on the Bot Connector wire (docs/wire.md B04 to B06)', () => {
  let db: TestDb;
  let connector: FakeConnector;
  let poster: TeamsChannelPoster;
  /** The install event's id, which the stored reference carries and which must never become a replyToId. */
  let installEventId: string;
  let conversations: ConversationRepo;
  const authOff = () =>
    createTeamsAdapter(
      { appId: '', password: '', tenantId: '', type: 'MultiTenant', openIdMetadata: undefined, tokenIssuer: undefined },
      { tenantId: '', log: createLogger('silent') },
    );

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    connector = await startFakeConnector();
    const installed = activity('teamInstalled', { serviceUrl: connector.url });
    installEventId = String(installed.id);
    const ref = TurnContext.getConversationReference(installed as never) as ConversationReference;
    conversations = new ConversationRepo(db);
    await conversations.upsert({
      tenantId,
      conversationId: channel,
      kind: 'channel',
      teamId: FIXTURE_IDS.teamId,
      channelId: channel,
      name: 'Support',
      reference: { ...ref, conversation: { ...ref.conversation, id: channel } } as unknown as Record<string, unknown>,
      installedAt: new Date().toISOString(),
    });
    poster = new TeamsChannelPoster({
      adapter: authOff(),
      botAppId: '',
      conversations,
      pacer: new Pacer(db),
      log: createLogger('silent'),
    });
  });
  afterEach(() => {
    connector.requests.length = 0;
  });
  afterAll(async () => {
    await connector?.close();
    await db?.drop();
  });

  it('starts a thread with the channel sample body: isGroup, the channel and tenant, the card, no members', async () => {
    const posted = await poster.postThread({ tenantId, channelConversationId: channel, card: card('New mail') });
    expect(posted.teamsConversationId).toBe(`${channel};messageid=${posted.activityId}`);
    const [call] = connector.requests;
    expect(call).toMatchObject({ method: 'POST', path: '/v3/conversations', status: 201 });
    expect(call?.body).toMatchObject({
      isGroup: true,
      tenantId,
      channelData: { channel: { id: channel }, tenant: { id: tenantId } },
      activity: { type: 'message' },
    });
    expect(call?.body).not.toHaveProperty('members');
  });

  it('replies into a thread by sending to the thread conversation, without a replyToId', async () => {
    const root = await poster.postThread({ tenantId, channelConversationId: channel, card: card('Root') });
    connector.requests.length = 0;
    const reply = await poster.replyInThread({
      tenantId,
      threadConversationId: root.teamsConversationId,
      card: card('Re: Root'),
    });
    expect(reply.teamsConversationId).toBe(root.teamsConversationId);
    const [call] = connector.requests;
    expect(call).toMatchObject({ method: 'POST', path: `/v3/conversations/${root.teamsConversationId}/activities` });
    expect(call?.body).not.toHaveProperty('replyToId');
    expect(call?.body).toMatchObject({ type: 'message', conversation: { id: root.teamsConversationId } });
    expect(JSON.stringify(call?.body)).not.toContain(installEventId);
  });

  it('updates a card with PUT on its activity id, the whole new card, and no replyToId', async () => {
    const root = await poster.postThread({ tenantId, channelConversationId: channel, card: card('Before') });
    connector.requests.length = 0;
    await poster.updateCard({
      tenantId,
      teamsConversationId: root.teamsConversationId,
      activityId: root.activityId,
      card: card('After'),
    });
    const [call] = connector.requests;
    expect(call).toMatchObject({
      method: 'PUT',
      path: `/v3/conversations/${root.teamsConversationId}/activities/${root.activityId}`,
      status: 200,
    });
    expect(call?.body).toMatchObject({ id: root.activityId, type: 'message' });
    expect(call?.body).not.toHaveProperty('replyToId');
    expect(connector.cards().get(root.activityId)).toEqual(card('After'));
  });

  it('paces each call by the conversation it addresses: the channel for a thread, the reply chain after', async () => {
    await db.kysely.deleteFrom('rate_slots').execute();
    const a = await poster.postThread({ tenantId, channelConversationId: channel, card: card('A') });
    await poster.replyInThread({ tenantId, threadConversationId: a.teamsConversationId, card: card('Re: A') });
    await poster.updateCard({ tenantId, ...a, card: card('A, saved') });
    const keys = await db.kysely.selectFrom('rate_slots').select('key').orderBy('at').execute();
    expect(keys.map((k) => k.key)).toEqual([
      `teams:${channel}`,
      `teams:${a.teamsConversationId}`,
      `teams:${a.teamsConversationId}`,
    ]);
  });

  it('refuses a card over 80 KB (UTF-16) before calling Teams, with a reason a person can act on', async () => {
    // Teams counts UTF-16: 41,000 characters of text are about 82 KB.
    const big = card('x'.repeat(Math.ceil(MAX_ACTIVITY_UTF16_BYTES / 2) + 100));
    const err = await poster.postThread({ tenantId, channelConversationId: channel, card: big }).catch((e) => e);
    expect(err).toBeInstanceOf(MailroomError);
    expect((err as MailroomError).code).toBe('teams_message_too_large');
    expect((err as MailroomError).remedy).toContain('open the email in Outlook');
    expect(connector.requests).toHaveLength(0);
  });

  it('does not post into a conversation Mailroom was never installed in, and calls nothing', async () => {
    const stranger = '19:0000000000000000000000000000000a@thread.tacv2';
    const err = await poster
      .replyInThread({ tenantId, threadConversationId: `${stranger};messageid=1`, card: card('Hi') })
      .catch((e) => e);
    expect((err as MailroomError).code).toBe('teams_error');
    const other = await poster
      .postThread({ tenantId: '00000000-0000-0000-0000-000000000000', channelConversationId: channel, card: card('x') })
      .catch((e) => e);
    expect((other as MailroomError).code).toBe('teams_error');
    expect(connector.requests).toHaveLength(0);
  });

  it('waits as Teams asks on 429 and sends the reply once', async () => {
    const root = await poster.postThread({ tenantId, channelConversationId: channel, card: card('Busy') });
    connector.requests.length = 0;
    connector.failNext(1, 429, 0);
    await poster.replyInThread({ tenantId, threadConversationId: root.teamsConversationId, card: card('Re: Busy') });
    expect(connector.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('keeps one connector client per service URL, and builds a new one after Teams refuses its token', async () => {
    const adapter = authOff();
    let turns = 0;
    const proactive = adapter.continueConversationAsync.bind(adapter);
    adapter.continueConversationAsync = ((...args: Parameters<typeof proactive>) => {
      turns++;
      return proactive(...args);
    }) as typeof adapter.continueConversationAsync;
    const own = new TeamsChannelPoster({
      adapter,
      botAppId: '',
      conversations,
      pacer: new Pacer(db),
      log: createLogger('silent'),
    });
    const root = await own.postThread({ tenantId, channelConversationId: channel, card: card('One client') });
    const thread = root.teamsConversationId;
    await own.replyInThread({ tenantId, threadConversationId: thread, card: card('Re: One client') });
    expect(turns).toBe(1);

    connector.failNext(1, 401);
    const refused = await own
      .replyInThread({ tenantId, threadConversationId: thread, card: card('x') })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(MailroomError);
    await own.replyInThread({ tenantId, threadConversationId: thread, card: card('Re: after 401') });
    expect(turns).toBe(2);
    expect(connector.requests.map((r) => r.status)).toEqual([201, 200, 401, 200]);
  });
});
