import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TbaSigner } from '../../../bot/src/netsuite/tba-signer.js';
import type { NetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { creds, startEmulator } from './harness.js';

// The emulated RESTlet endpoint refuses as NetSuite does, and a refused call changes nothing.

const PATH = '/app/site/hosting/restlet.nl?script=customscript_mailroom_save&deploy=customdeploy_mailroom_save';

function body(over: Record<string, unknown> = {}) {
  return JSON.stringify({
    externalId: `mr_${randomUUID().replace(/-/g, '')}`,
    fileKey: 'mf_endpoint',
    record: { type: 'customer', id: '101' },
    subject: 'Endpoint test',
    body: '<p>hi</p>',
    authorEmail: 'ana@fabrikam.com',
    recipientEmail: 'support@contoso.com',
    cc: '',
    bcc: '',
    messageDate: '2026-12-07T04:00:00.000Z',
    attachments: [],
    ...over,
  });
}

describe('the emulated SuiteApp RESTlet endpoint', () => {
  let ns: NetSuiteEmulator;
  const bearerWith = async (scope: string) => {
    const tokenUrl = `${ns.url}/services/rest/auth/oauth2/v1/token`;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope })
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', kid: creds.m2m.certificateId })
      .setIssuer(creds.m2m.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(createPrivateKey(creds.m2m.privateKeyPem));
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
    return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
  };
  const call = async (init: { method?: string; authorization?: string; type?: string; body?: string }) => {
    const before = { messages: ns.state.messages().length, files: ns.state.files().length };
    const res = await fetch(`${ns.url}${PATH}`, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.authorization ? { authorization: init.authorization } : {}),
        'content-type': init.type ?? 'application/json',
      },
      ...(init.method === 'GET' ? {} : { body: init.body ?? body() }),
    });
    const text = await res.text();
    const changed = ns.state.messages().length !== before.messages || ns.state.files().length !== before.files;
    return { status: res.status, text, changed };
  };

  beforeAll(async () => {
    ns = await startEmulator();
  });
  afterAll(async () => ns?.close());

  it('saves with a token whose scope holds restlets', async () => {
    const ok = await call({ authorization: await bearerWith('rest_webservices,restlets') });
    expect(ok.status).toBe(200);
    expect(ok.changed).toBe(true);
  });

  it('saves with TBA, the query string signed', async () => {
    const tba = new TbaSigner({ accountId: creds.accountId, ...creds.tba });
    const authorization = await tba.authorize('POST', `${ns.url}${PATH}`);
    expect((await call({ authorization })).status).toBe(200);
  });

  it('refuses, changing nothing: no login, a REST-only token, a wrong type, a GET, an unknown field, 10 MB', async () => {
    const restOnly = await bearerWith('rest_webservices');
    const good = await bearerWith('rest_webservices,restlets');
    const cases: Array<[string, Parameters<typeof call>[0], number, RegExp]> = [
      ['no Authorization', {}, 401, /INVALID_LOGIN/],
      ['a token without the restlets scope', { authorization: restOnly }, 401, /INVALID_LOGIN/],
      ['text/plain', { authorization: good, type: 'text/plain' }, 415, /INVALID_CONTENT_TYPE/],
      ['GET', { authorization: good, method: 'GET' }, 405, /SSS_INVALID_HTTP_METHOD/],
      ['an unknown field', { authorization: good, body: body({ incoming: true }) }, 400, /MAILROOM_BAD_REQUEST/],
      [
        'a missing record',
        { authorization: good, body: body({ record: { type: 'customer', id: '999' } }) },
        400,
        /MAILROOM_RECORD_NOT_FOUND/,
      ],
      [
        'a request over 10 MB',
        {
          authorization: good,
          body: body({
            attachments: [
              { index: 0, name: 'big.bin', contentType: 'application/zip', content: 'A'.repeat(10 * 1024 * 1024 + 4) },
            ],
          }),
        },
        413,
        /SSS_REQUEST_LIMIT_EXCEEDED/,
      ],
    ];
    for (const [name, init, status, code] of cases) {
      const res = await call(init);
      expect({ name, status: res.status, changed: res.changed }).toEqual({ name, status, changed: false });
      expect(res.text, name).toMatch(code);
    }
  });
});
