import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../bot/src/config.js';
import { readBody } from '../../../bot/src/http/router.js';
import { botResponse } from '../../../bot/src/http/server.js';
import { createLogger } from '../../../bot/src/log.js';
import { botRequest, createTeamsAdapter } from '../../../bot/src/teams/adapter.js';
import { stripMention } from '../../../bot/src/teams/commands/parse-command.js';
import { type TurnInfo, turnInfo } from '../../../bot/src/teams/turn-info.js';
import {
  activity,
  type BotFrameworkIssuer,
  channelCommand,
  FIXTURE_IDS,
  FixedTokenCredentialsFactory,
  startBotFrameworkIssuer,
} from '../../helpers/bot-framework.js';

const APP_ID = FIXTURE_IDS.appId;
const SERVICE_URL = FIXTURE_IDS.serviceUrl;
/** The adapter's log lines, parsed. */
const lines: Array<Record<string, unknown>> = [];
const GATE = {
  tenantId: FIXTURE_IDS.tenantId,
  log: createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
};

/** A bare node:http host for the adapter, as Mailroom's server hands it requests: the body parsed first. */
function host(handle: (req: IncomingMessage & { body: unknown }, res: ServerResponse) => Promise<void>): Server {
  return createServer((req, res) => {
    readBody(req, 256 * 1024)
      .then((body) => handle(Object.assign(req, { body }), res))
      .catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
  });
}

/** Bot Framework tokens over real HTTP: only what the Bot Connector would have signed reaches the bot. */
describe('POST /api/messages with auth on', () => {
  let issuer: BotFrameworkIssuer;
  let server: Server;
  let url: string;
  const turns: string[] = [];
  const seen: TurnInfo[] = [];
  const commands: string[] = [];

  // Installed before the first request, so it is what the adapter's filter passes console.error calls on to.
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    issuer = await startBotFrameworkIssuer();
    const bot: Config['bot'] = {
      appId: APP_ID,
      password: 'not-used-by-this-test',
      tenantId: '',
      type: 'MultiTenant',
      openIdMetadata: issuer.openIdMetadataUrl,
      tokenIssuer: issuer.issuer,
    };
    const adapter = createTeamsAdapter(bot, GATE, { credentialsFactory: new FixedTokenCredentialsFactory(APP_ID) });
    // CloudAdapter needs req.body already parsed into an object.
    server = host(async (req, res) => {
      await adapter.process(botRequest(req), botResponse(res), async (ctx) => {
        turns.push(ctx.activity.type);
        seen.push(turnInfo(ctx));
        commands.push(stripMention(ctx.activity.text ?? ''));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });

  afterAll(async () => {
    consoleError.mockRestore();
    server.close();
    await issuer.close();
  });

  const post = (authorization: string | undefined, body: unknown = activity('teamInstalled')) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  it('accepts a token the Bot Connector would send and runs the turn', async () => {
    const before = turns.length;
    const res = await post(await issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL }));
    expect(res.status).toBe(200);
    expect(turns.slice(before)).toEqual(['conversationUpdate']);
  });

  it('hands an authenticated channel command over with its team and channel', async () => {
    const res = await post(
      await issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL }),
      channelCommand('/watch sales@'),
    );
    expect(res.status).toBe(200);
    expect(commands.at(-1)).toBe('/watch sales@');
    expect(seen.at(-1)).toMatchObject({
      conversationType: 'channel',
      tenantId: FIXTURE_IDS.tenantId,
      teamId: FIXTURE_IDS.teamId,
      channelId: FIXTURE_IDS.supportChannelId,
      // A command typed in a thread answers in the channel: the thread's `;messageid=` is not kept.
      conversationId: FIXTURE_IDS.supportChannelId,
    });
  });

  const good = () => ({ appId: APP_ID, serviceUrl: SERVICE_URL });
  /** The same claims with the header `alg: none` and no signature. */
  const unsigned = (token: string) => {
    const [, payload] = token.split('.');
    return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  };
  /** The same claims, signed HS256 with the key anyone can read from the issuer's JWKS, under its kid. */
  const hmacWithPublishedKey = async (token: string) => {
    const meta = (await (await fetch(issuer.openIdMetadataUrl)).json()) as { jwks_uri: string };
    const { keys } = (await (await fetch(meta.jwks_uri)).json()) as { keys: Array<Record<string, unknown>> };
    return new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid, typ: 'JWT' })
      .sign(new TextEncoder().encode(JSON.stringify(keys[0])));
  };

  const rejected: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    [
      'a token signed by another key under the published kid',
      async () => issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, key: await issuer.strangerKey() }),
    ],
    [
      'a token signed by another key with an unknown kid',
      async () =>
        issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, key: await issuer.strangerKey(), kid: 'other' }),
    ],
    // 10 minutes past expiry: beyond the validator's 5 minutes of clock skew.
    ['an expired token', () => issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, expiresIn: -600 })],
    [
      'a token for another bot (wrong audience)',
      () => issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, audience: 'another-bot-app-id' }),
    ],
    [
      'a token from another issuer',
      () => issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, issuer: 'https://evil.example' }),
    ],
    [
      'a token minted for another serviceUrl',
      () => issuer.authorization({ appId: APP_ID, serviceUrl: 'https://smba.evil.example/emea/' }),
    ],
    ['a header that is not a bearer token', async () => 'Basic dXNlcjpwYXNz'],
    [
      'a token with no serviceurl claim',
      () => issuer.authorization({ appId: APP_ID, serviceUrl: undefined as unknown as string }),
    ],
    ['an unsigned token (alg none)', async () => `Bearer ${unsigned(await issuer.sign(good()))}`],
    [
      'a token signed HS256 with the published RSA key as the secret (algorithm confusion)',
      async () => `Bearer ${await hmacWithPublishedKey(await issuer.sign(good()))}`,
    ],
  ];

  it.each(rejected)('answers 401 to %s, never runs the turn, and logs one line', async (_name, authorization) => {
    const before = turns.length;
    const logged = lines.length;
    consoleError.mockClear();
    {
      const res = await post(await authorization());
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(turns.length).toBe(before);
      expect(lines.slice(logged)).toEqual([
        expect.objectContaining({ msg: 'Bot Framework token refused', reason: expect.any(String) }),
      ]);
      expect(consoleError).not.toHaveBeenCalled();
    }
  });

  it('still prints any other console.error once the token checks are quieted', async () => {
    expect(
      (await post(await issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL, expiresIn: -600 }))).status,
    ).toBe(401);
    consoleError.mockClear();
    console.error('a problem someone should see');
    console.error('Error finding key for token. Available keys: k1');
    console.error(Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }));
    expect(consoleError.mock.calls).toEqual([['a problem someone should see']]);
  });

  it('answers 403 to a good token carrying another tenant’s activity, never runs the turn, and logs one line', async () => {
    const before = turns.length;
    const logged = lines.length;
    const other = '0bad7e4a-1111-4222-8333-444455556666';
    const res = await post(
      await issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL }),
      channelCommand('/watch sales@', { conversation: { tenantId: other }, channelData: { tenant: { id: other } } }),
    );
    expect(res.status).toBe(403);
    expect(turns.length).toBe(before);
    expect(lines.slice(logged)).toEqual([
      expect.objectContaining({ msg: 'activity from another tenant refused', tenants: [other] }),
    ]);
  });

  it('rejects a valid token replayed with a different serviceUrl in the activity', async () => {
    const auth = await issuer.authorization({ appId: APP_ID, serviceUrl: SERVICE_URL });
    const res = await post(auth, activity('teamInstalled', { serviceUrl: 'https://smba.evil.example/emea/' }));
    expect(res.status).toBe(401);
  });
});

describe('POST /api/messages with auth off (empty BOT_ID, as for the Playground)', () => {
  it('accepts an activity with no Authorization header', async () => {
    const adapter = createTeamsAdapter(
      {
        appId: '',
        password: '',
        tenantId: '',
        type: 'SingleTenant',
        openIdMetadata: undefined,
        tokenIssuer: undefined,
      },
      GATE,
    );
    const seen: string[] = [];
    const server = host(async (req, res) => {
      await adapter.process(botRequest(req), botResponse(res), async (ctx) => {
        seen.push(ctx.activity.type);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity('teamInstalled')),
      });
      expect(res.status).toBe(200);
      expect(seen).toEqual(['conversationUpdate']);
    } finally {
      server.close();
    }
  });
});
