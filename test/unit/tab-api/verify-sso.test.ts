import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSsoVerifier } from '../../../bot/src/tab-api/verify-sso.js';

const TOKEN =
  // A v2-shaped token whose signature is never reached: these tests stop before the keys.
  `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ tid: 'aaaaaaaa-0000-4000-8000-000000000001', oid: 'o', exp: 4102444800 }),
  ).toString('base64url')}.c2ln`;

describe('createSsoVerifier', () => {
  it('reads the keys from the OpenID metadata through the injected fetch, and retries after a failure', async () => {
    const calls: string[] = [];
    let up = false;
    const fakeFetch = (async (input: string | URL | Request) => {
      calls.push(String(input));
      if (!up) return new Response('down', { status: 503 });
      if (String(input).endsWith('openid-configuration')) return Response.json({ jwks_uri: 'https://keys.test/keys' });
      return Response.json({ keys: [] });
    }) as typeof fetch;
    const verifier = createSsoVerifier({
      clientId: 'c',
      tenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
      openIdMetadataUrl: 'https://meta.test/openid-configuration',
      fetch: fakeFetch,
    });
    await expect(verifier.verify(`Bearer ${TOKEN}`)).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
      message: 'The sign-in keys could not be loaded; try again in a minute.',
    });
    up = true;
    await expect(verifier.verify(TOKEN)).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    expect(calls).toEqual([
      'https://meta.test/openid-configuration',
      'https://meta.test/openid-configuration',
      'https://keys.test/keys',
    ]);
  });

  it('refuses every token when no client id is configured', async () => {
    const verifier = createSsoVerifier({ clientId: '', tenantId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    await expect(verifier.verify(TOKEN)).rejects.toThrow(/TAB_CLIENT_ID/);
  });

  it('refuses a token of another tenant with 403 before it fetches any key', async () => {
    const calls: string[] = [];
    const verifier = createSsoVerifier({
      clientId: 'c',
      tenantId: 'bbbbbbbb-0000-4000-8000-000000000002',
      openIdMetadataUrl: 'https://meta.test/openid-configuration',
      fetch: (async (input: string | URL | Request) => {
        calls.push(String(input));
        return new Response('unused', { status: 500 });
      }) as typeof fetch,
    });
    await expect(verifier.verify(TOKEN)).rejects.toMatchObject({ code: 'wrong_tenant', status: 403 });
    expect(calls).toEqual([]);
  });
});

describe('createSsoVerifier against forged algorithms and claims', () => {
  const TENANT = 'aaaaaaaa-0000-4000-8000-000000000001';
  const CLIENT = 'c1';
  const KID = 'k1';
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwk: Record<string, unknown>;
  const verifier = () =>
    createSsoVerifier({
      clientId: CLIENT,
      tenantId: TENANT,
      openIdMetadataUrl: 'https://meta.test/openid-configuration',
      fetch: (async (input: string | URL | Request) => {
        if (String(input).endsWith('openid-configuration')) return Response.json({ jwks_uri: 'https://keys.test/k' });
        return Response.json({ keys: [jwk] });
      }) as typeof fetch,
    });
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT,
    tid: TENANT,
    oid: 'o1',
    scp: 'access_as_user',
    iat: now(),
    exp: now() + 3600,
  });
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  beforeAll(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
    jwk = { ...(await exportJWK(keys.publicKey)), kid: KID, use: 'sig' };
  });

  it('accepts the real key’s RS256 token (so each refusal below is the trick’s, not the key’s)', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(keys.privateKey);
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ oid: 'o1', tid: TENANT });
  });

  it.each([
    ['alg none', async () => `${b64({ alg: 'none', kid: KID })}.${b64(claims())}.`],
    [
      'HS256 keyed with the published RSA key (algorithm confusion)',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .sign(new TextEncoder().encode(JSON.stringify(jwk))),
    ],
    [
      'RS384 signed by the real key (only RS256 is Entra’s)',
      async () => {
        const rs384 = await importJWK({ ...(await exportJWK(keys.privateKey)) }, 'RS384');
        return new SignJWT(claims()).setProtectedHeader({ alg: 'RS384', kid: KID }).sign(rs384);
      },
    ],
    [
      'no exp',
      async () => {
        const { exp: _exp, ...rest } = claims();
        return new SignJWT(rest).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(keys.privateKey);
      },
    ],
    [
      'not valid before tomorrow',
      async () =>
        new SignJWT({ ...claims(), nbf: now() + 86_400 })
          .setProtectedHeader({ alg: 'RS256', kid: KID })
          .sign(keys.privateKey),
    ],
    [
      'no oid',
      async () => {
        const { oid: _oid, ...rest } = claims();
        return new SignJWT(rest).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(keys.privateKey);
      },
    ],
  ])('refuses %s with 401', async (_name, make) => {
    await expect(verifier().verify(`Bearer ${await make()}`)).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
    });
  });

  it('refuses a header that smuggles a second token or a CR/LF, or is 20,000 characters long', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(keys.privateKey);
    for (const bearer of [
      `Bearer ${token}, Bearer ${token}`,
      `Bearer ${token}\r\nX-Admin: 1`,
      `Bearer ${'a'.repeat(20_000)}`,
    ]) {
      await expect(verifier().verify(bearer)).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    }
  });
});
