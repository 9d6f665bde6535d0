import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceClientCredentialsFactory } from 'botframework-connector';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** The issuer the Bot Connector service puts in the tokens it sends to bots. */
export const BOT_CONNECTOR_ISSUER = 'https://api.botframework.com';

export interface SignOptions {
  /** The bot's app id; becomes `aud` unless `audience` is given. */
  appId: string;
  /** Must equal the activity's serviceUrl, or the bot answers 401. */
  serviceUrl: string;
  /** Seconds from now; negative for a token already expired. Default 3600. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** Sign with this key instead of the published one (a forgery). Its kid is still the published one. */
  key?: CryptoKey;
  kid?: string;
}

export interface BotFrameworkIssuer {
  /** Set as BOT_OPENID_METADATA (config.bot.openIdMetadata). */
  openIdMetadataUrl: string;
  /** Set as BOT_TOKEN_ISSUER (config.bot.tokenIssuer). */
  issuer: string;
  kid: string;
  /** A token as the Bot Connector sends it: RS256, kid, iss, aud = app id, serviceurl, nbf/exp. */
  sign(opts: SignOptions): Promise<string>;
  /** `Bearer <token>`, ready for the Authorization header. */
  authorization(opts: SignOptions): Promise<string>;
  /** A key nobody published, for forged tokens. */
  strangerKey(): Promise<CryptoKey>;
  close(): Promise<void>;
}

/**
 * A local stand-in for login.botframework.com: an OpenID configuration document and a JWKS whose key carries the
 * `endorsements` Bot Framework keys have (botframework-connector rejects a key not endorsed for the channel id).
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
export async function startBotFrameworkIssuer(
  opts: { issuer?: string; endorsements?: string[] } = {},
): Promise<BotFrameworkIssuer> {
  const issuer = opts.issuer ?? BOT_CONNECTOR_ISSUER;
  const kid = `test-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid,
    use: 'sig',
    endorsements: opts.endorsements ?? ['msteams'],
  } as JWK;

  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      send({
        issuer,
        authorization_endpoint: `${base}/v1/authorize`,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    } else if (req.url === '/v1/.well-known/keys') {
      send({ keys: [jwk] });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const sign = async (o: SignOptions): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: o.serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? o.appId)
      .setNotBefore(now - 300)
      .setExpirationTime(now + (o.expiresIn ?? 3600))
      .sign(o.key ?? privateKey);
  };

  return {
    openIdMetadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    issuer,
    kid,
    sign,
    authorization: async (o) => `Bearer ${await sign(o)}`,
    strangerKey: async () => (await generateKeyPair('RS256')).privateKey,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * Outgoing credentials for tests with auth on: every connector call carries `Bearer <token>` instead of a token
 * from login.microsoftonline.com (unreachable here). Pass it as createTeamsAdapter's `credentialsFactory`.
 */
export class FixedTokenCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly token = 'test-outgoing-token',
  ) {
    super();
  }

  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return this.appId === '';
  }

  override async createCredentials(): Promise<
    Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>
  > {
    const token = this.token;
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
  }
}

/** Teams payload fixtures under test/fixtures/teams/, each as Teams sends it. */
export const TEAMS_FIXTURES = {
  /** A channel message that @mentions the bot: `<at>Mailroom</at> /watch support@contoso.com`. */
  channelMention: 'channel-message-mention.json',
  /** conversationUpdate: the bot was added to a team (membersAdded holds the bot, eventType teamMemberAdded). */
  teamInstalled: 'team-installed.json',
  /** installationUpdate with action "add", sent alongside teamInstalled. */
  installationUpdate: 'installation-update-add.json',
  /** A message in the personal chat with the bot. */
  personalMessage: 'personal-message.json',
  /** invoke adaptiveCard/action (Action.Execute, verb "claim") from a card in a channel thread. */
  cardAction: 'invoke-adaptive-card-action.json',
} as const;

export type TeamsFixture = keyof typeof TEAMS_FIXTURES;

/** Ids shared by all fixtures, so tests can assert on them. */
export const FIXTURE_IDS = {
  tenantId: '6e2d2b11-3c5a-4a0e-9d4e-0c1f5b7a9e21',
  appId: 'b07a1e55-6f0d-4d7e-8a53-2a8d7c1f4e90',
  botId: '28:b07a1e55-6f0d-4d7e-8a53-2a8d7c1f4e90',
  teamId: '19:f3c2a1b0d9e84c7b8a6f5e4d3c2b1a09@thread.tacv2',
  supportChannelId: '19:5a7e2c1d0b9f4e8d7c6b5a4f3e2d1c0b@thread.tacv2',
  aadGroupId: '4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c',
  serviceUrl: 'https://smba.trafficmanager.net/emea/6e2d2b11-3c5a-4a0e-9d4e-0c1f5b7a9e21/',
} as const;

type Json = Record<string, unknown>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends Json ? DeepPartial<T[K]> : T[K] };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Json, overrides: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    const current = out[k];
    out[k] = isObject(current) && isObject(v) ? merge(current, v) : v;
  }
  return out;
}

/** A fresh copy of a Teams fixture with `overrides` deep-merged in (arrays are replaced, not merged). */
export function activity(kind: TeamsFixture, overrides: DeepPartial<Json> = {}): Json {
  const file = new URL(`../fixtures/teams/${TEAMS_FIXTURES[kind]}`, import.meta.url);
  return merge(JSON.parse(readFileSync(file, 'utf8')) as Json, overrides as Json);
}

/** A channel message that @mentions the bot, followed by `command` (e.g. "/watch sales@"). */
export function channelCommand(command: string, overrides: DeepPartial<Json> = {}): Json {
  return activity('channelMention', { text: `<at>Mailroom</at> ${command}`, ...overrides });
}
