import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { M2MTokenProvider } from '../../../bot/src/netsuite/m2m-token-provider.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const TOKEN_URL = 'https://123456.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';

function setup(key = privateKey) {
  let now = new Date('2026-11-22T10:00:00Z');
  const calls: URLSearchParams[] = [];
  const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(new URLSearchParams(String(init?.body)));
    return new Response(
      JSON.stringify({ access_token: `tok${calls.length}`, expires_in: '3600', token_type: 'bearer' }),
      {
        status: 200,
      },
    );
  }) as typeof fetch;
  const provider = new M2MTokenProvider({
    tokenUrl: TOKEN_URL,
    clientId: 'client-abc',
    certificateId: 'cert-xyz',
    privateKeyPem: key,
    fetch: fakeFetch,
    clock: () => now,
  });
  return { provider, calls, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('M2MTokenProvider', () => {
  it('signs an assertion NetSuite accepts: PS256, kid, iss, aud, scope, exp under an hour', async () => {
    const { provider, calls } = setup();
    expect(await provider.authorize()).toBe('Bearer tok1');
    const form = calls[0];
    expect(form?.get('grant_type')).toBe('client_credentials');
    expect(form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwt = form?.get('client_assertion') ?? '';
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'PS256', kid: 'cert-xyz', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, (await import('node:crypto')).createPublicKey(publicKey), {
      algorithms: ['PS256'],
      issuer: 'client-abc',
      audience: TOKEN_URL,
      currentDate: new Date('2026-11-22T10:00:01Z'),
    });
    expect(payload.scope).toBe('rest_webservices,restlets');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThan(3600);
  });

  it('reuses the token until five minutes before it expires, then fetches a new one', async () => {
    const { provider, calls, advance } = setup();
    await Promise.all([provider.authorize(), provider.authorize(), provider.authorize()]);
    expect(calls).toHaveLength(1);
    advance(54 * 60_000);
    expect(await provider.authorize()).toBe('Bearer tok1');
    advance(2 * 60_000);
    expect(await provider.authorize()).toBe('Bearer tok2');
    provider.invalidate();
    expect(await provider.authorize()).toBe('Bearer tok3');
  });

  it('refuses a key that is not PEM with a fix-it message', () => {
    expect(
      () =>
        new M2MTokenProvider({
          tokenUrl: TOKEN_URL,
          clientId: 'c',
          certificateId: 'k',
          privateKeyPem: 'not a key',
          fetch,
        }),
    ).toThrow(/private key/);
  });

  // Oracle takes EC certificates on P-256, P-384 and P-521, each signed with its own hash (ES256, ES384, ES512).
  it.each([
    ['prime256v1', 'ES256'],
    ['secp384r1', 'ES384'],
    ['secp521r1', 'ES512'],
  ] as const)('signs with an EC key on %s as %s', async (namedCurve, alg) => {
    const ec = generateKeyPairSync('ec', {
      namedCurve,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const { provider, calls } = setup(ec.privateKey);
    await provider.authorize();
    const jwt = calls[0]?.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(jwt).alg).toBe(alg);
    const { crypto } = { crypto: await import('node:crypto') };
    await expect(
      jwtVerify(jwt, crypto.createPublicKey(ec.publicKey), {
        algorithms: [alg],
        currentDate: new Date('2026-11-22T10:00:01Z'),
      }),
    ).resolves.toBeTruthy();
  });

  it('refuses a key NetSuite does not take (Ed25519) and says which keys it does', () => {
    const ed = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => setup(ed.privateKey)).toThrow(/does not take/);
  });
});
