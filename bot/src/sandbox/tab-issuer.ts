import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { SANDBOX_PEOPLE } from './people.js';

export interface SandboxUser {
  oid: string;
  name: string;
  upn: string;
}

export interface IssueOptions {
  /** Seconds until `exp`; negative makes an already expired token (tests). */
  expiresInSeconds?: number;
  audience?: string;
  issuer?: string;
  scp?: string;
}

export interface IssuerRoute {
  method: 'GET';
  path: string;
  handler: (ctx: { query: Record<string, unknown> }) => Promise<{ status: number; body: unknown }>;
}

export interface TabIssuer {
  /** Where the verifier reads the OpenID metadata: `${baseUrl}/sandbox/openid/.well-known/openid-configuration`. */
  metadataUrl: string;
  issue(user: SandboxUser & { tid: string }, opts?: IssueOptions): Promise<string>;
  /** GET /sandbox/openid/.well-known/openid-configuration, GET /sandbox/openid/keys, GET /api/tab/dev-token. */
  handlers: IssuerRoute[];
}

/** The sandbox's people, with the same object ids as in the Playground and the Graph emulator. */
export const SANDBOX_TAB_USERS: SandboxUser[] = SANDBOX_PEOPLE.map((p) => ({
  oid: p.oid,
  name: p.displayName,
  upn: p.upn,
}));

export interface TabIssuerOptions {
  clientId: string;
  /** The server's own base URL (no trailing slash), e.g. http://127.0.0.1:3978. */
  baseUrl: string;
  /** The sandbox tenant; dev tokens carry it as `tid`. */
  tenantId: string;
  users?: SandboxUser[];
}

/**
 * A local stand-in for Microsoft Entra ID, for the sandbox and tests: it signs tokens shaped like the v2.0 access
 * tokens Teams SSO hands a tab (RS256, iss https://login.microsoftonline.com/{tid}/v2.0, aud = client id,
 * scp access_as_user) and publishes its key as OpenID metadata + JWKS, so the real verifier checks them unchanged.
 * The dev-token route must be mounted only in sandbox mode: it hands out tokens to anyone who asks.
 */
export async function createTabIssuer(opts: TabIssuerOptions): Promise<TabIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const users = opts.users ?? SANDBOX_TAB_USERS;
  const base = opts.baseUrl.replace(/\/+$/, '');

  const issue: TabIssuer['issue'] = async (user, o = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (o.expiresInSeconds ?? 3600);
    return new SignJWT({
      oid: user.oid,
      tid: user.tid,
      name: user.name,
      preferred_username: user.upn,
      scp: o.scp ?? 'access_as_user',
      ver: '2.0',
      azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? `https://login.microsoftonline.com/${user.tid}/v2.0`)
      .setAudience(o.audience ?? opts.clientId)
      .setSubject(user.oid)
      .setIssuedAt(Math.min(now, exp - 60))
      .setNotBefore(Math.min(now, exp - 60))
      .setExpirationTime(exp)
      .sign(privateKey);
  };

  const handlers: IssuerRoute[] = [
    {
      method: 'GET',
      path: '/sandbox/openid/.well-known/openid-configuration',
      handler: async () => ({
        status: 200,
        body: {
          issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
          jwks_uri: `${base}/sandbox/openid/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint: `${base}/api/tab/dev-token`,
        },
      }),
    },
    { method: 'GET', path: '/sandbox/openid/keys', handler: async () => ({ status: 200, body: { keys: [jwk] } }) },
    {
      method: 'GET',
      path: '/api/tab/dev-token',
      handler: async ({ query }) => {
        const wanted = typeof query.user === 'string' ? query.user.toLowerCase() : '';
        const user = wanted
          ? users.find((u) => [u.oid, u.upn, u.upn.split('@')[0], u.name].some((v) => v?.toLowerCase() === wanted))
          : users[0];
        if (!user) {
          const known = users.map((u) => u.upn.split('@')[0]).join(', ');
          return {
            status: 404,
            body: { error: { code: 'not_found', message: `No sandbox user "${wanted}". Try one of: ${known}.` } },
          };
        }
        const token = await issue({ ...user, tid: opts.tenantId });
        return { status: 200, body: { token, user: { ...user, tid: opts.tenantId } } };
      },
    },
  ];

  return { metadataUrl: `${base}/sandbox/openid/.well-known/openid-configuration`, issue, handlers };
}
