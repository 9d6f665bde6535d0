import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, type BotFrameworkIssuer, startBotFrameworkIssuer } from '../../helpers/bot-framework.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

const APP_ID = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';

describe('the server over real HTTP, with Bot Framework auth on', () => {
  let issuer: BotFrameworkIssuer;
  let h: Harness;

  beforeAll(async () => {
    issuer = await startBotFrameworkIssuer();
    h = await startHarness({
      netsuite: false,
      env: {
        BOT_ID: APP_ID,
        BOT_PASSWORD: 'not-used-for-incoming-checks',
        BOT_OPENID_METADATA: issuer.openIdMetadataUrl,
        BOT_TOKEN_ISSUER: issuer.issuer,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await issuer?.close();
  });

  /** The install event needs no reply, so the bot makes no outgoing call. */
  async function post(authorization: string | undefined, serviceUrl = h.connector.url) {
    const body = { ...activity('teamInstalled'), serviceUrl };
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  it('accepts a token the Bot Connector signed for this bot', async () => {
    expect(await post(await issuer.authorization({ appId: APP_ID, serviceUrl: h.connector.url }))).toBe(200);
    const rows = await h.mailroom.db.kysely.selectFrom('conversations').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('answers HEAD /api/messages with 200 and Allow: POST, without a token and without touching anything', async () => {
    const before = await h.mailroom.db.kysely.selectFrom('conversations').selectAll().execute();
    const res = await fetch(`${h.url}/api/messages`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await h.mailroom.db.kysely.selectFrom('conversations').selectAll().execute()).toEqual(before);
  });

  it('answers 401 to missing, forged, expired and wrong-audience tokens', async () => {
    const serviceUrl = h.connector.url;
    expect(await post(undefined)).toBe(401);
    const forged = await issuer.authorization({ appId: APP_ID, serviceUrl, key: await issuer.strangerKey() });
    expect(await post(forged)).toBe(401);
    expect(await post(await issuer.authorization({ appId: APP_ID, serviceUrl, expiresIn: -600 }))).toBe(401);
    expect(await post(await issuer.authorization({ appId: APP_ID, serviceUrl, audience: 'someone-else' }))).toBe(401);
  });
});

describe('bad input on the Graph endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
  });
  afterAll(async () => h?.close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('echoes the validation token as text/plain on both endpoints', async () => {
    for (const path of ['/api/graph/notifications', '/api/graph/lifecycle']) {
      const res = await fetch(`${h.url}${path}?validationToken=${encodeURIComponent('Validation: abc+/=')}`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('Validation: abc+/=');
    }
  });

  it('answers 400 to non-JSON and fieldless bodies, 413 to oversized ones, and keeps serving', async () => {
    for (const path of ['/api/graph/notifications', '/api/graph/lifecycle', '/api/messages']) {
      expect((await post(path, 'not json')).status).toBe(400);
      expect((await post(path, '{}')).status).toBe(400);
      expect((await post(path, JSON.stringify({ value: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
    }
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('drops a notification with the wrong clientState, still answering 202, and stores nothing', async () => {
    await h.watch('support@contoso.com');
    const sub = [...h.sandbox.graph.state.subscriptions.values()][0];
    if (!sub) throw new Error('no subscription');
    const res = await post(
      '/api/graph/notifications',
      JSON.stringify({
        value: [
          {
            subscriptionId: sub.id,
            subscriptionExpirationDateTime: sub.expirationDateTime,
            clientState: 'not-the-secret',
            changeType: 'created',
            resource: `Users/${sub.userId}/Messages/AAMkAD-forged`,
            tenantId: h.sandbox.tenantId,
            resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: 'AAMkAD-forged' },
          },
        ],
      }),
    );
    expect(res.status).toBe(202);
    const jobs = await h.mailroom.db.kysely
      .selectFrom('jobs')
      .select('kind')
      .where('kind', '=', 'mail.ingest')
      .execute();
    expect(jobs).toHaveLength(0);
  });
});

describe('an invoke that no handler answers', () => {
  let h: Harness;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    h = await startHarness({ netsuite: false, logLines: lines });
  });
  afterAll(async () => h?.close());

  it("gets botbuilder's 501, and one log line naming it", async () => {
    lines.length = 0;
    const res = await h.send({ ...activity('teamInstalled'), type: 'invoke', name: 'task/fetch', value: {} });
    expect(res.status).toBe(501);
    const refused = lines.filter((l) => l.status === 501 || /invoke/.test(String(l.msg)));
    expect(refused).toEqual([
      expect.objectContaining({ msg: 'invoke refused: no handler for it', name: 'task/fetch' }),
    ]);
  });
});
