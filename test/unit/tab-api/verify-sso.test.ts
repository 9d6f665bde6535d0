import { describe, expect, it } from 'vitest';
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
