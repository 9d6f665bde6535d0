import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { creds, startEmulator } from './harness.js';

let ns: NetSuiteEmulator;
beforeAll(async () => {
  ns = await startEmulator({ concurrencyLimit: 1, latencyMs: 100 });
});
afterAll(async () => ns.close());

async function assertion(over: { aud?: string; lifetime?: number; kid?: string } = {}) {
  const key = await importPKCS8(creds.m2m.privateKeyPem, 'PS256');
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'restlets,rest_webservices' })
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', kid: over.kid ?? creds.m2m.certificateId })
    .setIssuer(creds.m2m.clientId)
    .setAudience(over.aud ?? `${ns.url}/services/rest/auth/oauth2/v1/token`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (over.lifetime ?? 1800))
    .setJti(randomUUID())
    .sign(key);
}

async function token(jwt: string) {
  const res = await fetch(`${ns.url}/services/rest/auth/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    }),
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}

describe('NetSuite emulator', () => {
  it('issues a bearer token for a good assertion and refuses a bad one', async () => {
    expect((await token(await assertion())).body.access_token).toBeTruthy();
    expect((await token(await assertion({ aud: 'https://elsewhere.example/token' }))).status).toBe(400);
    expect((await token(await assertion({ lifetime: 3700 }))).body.error).toBe('invalid_grant');
    expect((await token(await assertion({ kid: 'other' }))).body.error).toBe('invalid_client');
  });

  it('answers 401 in NetSuite’s error shape without credentials', async () => {
    const res = await fetch(`${ns.url}/services/rest/record/v1/customer/101`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 401, 'o:errorDetails': [{ 'o:errorCode': 'INVALID_LOGIN' }] });
  });

  it('refuses requests past the concurrency limit with 429, and SuiteQL without Prefer: transient', async () => {
    const auth = `Bearer ${(await token(await assertion())).body.access_token ?? ''}`;
    const q = (prefer: boolean) =>
      fetch(`${ns.url}/services/rest/query/v1/suiteql?limit=10&offset=0`, {
        method: 'POST',
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          ...(prefer ? { prefer: 'transient' } : {}),
        },
        body: JSON.stringify({ q: "SELECT id FROM contact WHERE UPPER(email) LIKE '%FABRIKAM%' ORDER BY id DESC" }),
      });
    const [a, b] = await Promise.all([q(true), q(true)]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    const ok = a.status === 200 ? a : b;
    expect(((await ok.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(['203', '201']);
    const no = await q(false);
    expect(no.status).toBe(400);
  });
});
