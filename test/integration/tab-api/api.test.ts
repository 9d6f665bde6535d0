import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { createTabIssuer, type TabIssuer } from '../../../bot/src/sandbox/tab-issuer.js';
import { tabRoutes } from '../../../bot/src/tab-api/routes.js';
import { createSsoVerifier } from '../../../bot/src/tab-api/verify-sso.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { type RouteServer, startRouteServer } from './route-server.js';
import { ADELE, inEveryTeam, insertAssociation, insertEmail, OTHER, seedDashboard, T1 } from './seed.js';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';

describe.each(testEngines())('tab API over HTTP with SSO tokens on %s', (engine) => {
  let db: TestDb;
  let server: RouteServer;
  let issuer: TabIssuer;

  // One database, server and key pair for the file: RSA key generation is slow, and no test changes what another reads.
  beforeAll(async () => {
    db = await createTestDb(engine);
    await seedDashboard(db.kysely, new Date());
    server = await startRouteServer();
    issuer = await createTabIssuer({ clientId: CLIENT_ID, baseUrl: server.baseUrl, tenantId: T1 });
    server.mountOpen(issuer.handlers);
    const verifier = createSsoVerifier({ clientId: CLIENT_ID, tenantId: T1, openIdMetadataUrl: issuer.metadataUrl });
    const routes = tabRoutes({
      db: db.kysely,
      engine: db.engine,
      recordUrl: (t, id) => `https://123456.app.netsuite.com/${t}/${id}`,
      isAdmin: async () => false,
      teamsOf: inEveryTeam,
      turnOffRule: async () => undefined,
      retrySave: async () => undefined,
      releaseClaim: async () => undefined,
      queue: new JobQueue(db),
      log: pino({ level: 'silent' }),
    });
    server.mountAuthed(routes, (b) => verifier.verify(b));
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${server.baseUrl}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return {
      status: res.status,
      body: (await res.json()) as { error?: { code: string; message: string } } & Record<string, unknown>,
    };
  };

  it('accepts a valid token and knows the caller', async () => {
    const res = await get('/api/tab/me', await issuer.issue(ADELE));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      identity: { oid: ADELE.oid, tid: T1, name: 'Adele Vance', upn: 'adele@contoso.com' },
    });
  });

  it('hands out sandbox tokens the verifier accepts', async () => {
    const dev = await get('/api/tab/dev-token?user=alex');
    expect(dev.status).toBe(200);
    const token = String(dev.body.token);
    expect(decodeJwt(token)).toMatchObject({
      iss: `https://login.microsoftonline.com/${T1}/v2.0`,
      aud: CLIENT_ID,
      scp: 'access_as_user',
    });
    expect((await get('/api/tab/me', token)).body).toMatchObject({ identity: { name: 'Alex Wilber' } });
    expect((await get('/api/tab/dev-token?user=nobody')).status).toBe(404);
  });

  it.each([
    ['no token', async () => undefined, /no Bearer token/],
    ['a garbage token', async () => 'abc.def', /not a JWT/],
    ['an expired token', async () => issuer.issue(ADELE, { expiresInSeconds: -3600 }), /expired/],
    [
      'a token for another app',
      async () => issuer.issue(ADELE, { audience: 'ffffffff-2222-4333-8444-555555555555' }),
      /another app/,
    ],
    [
      'an api:// audience (v1.0 shape)',
      async () => issuer.issue(ADELE, { audience: `api://localhost/${CLIENT_ID}` }),
      /another app/,
    ],
    [
      'an issuer that is not Entra v2.0',
      async () => issuer.issue(ADELE, { issuer: `https://sts.windows.net/${T1}/` }),
      /issuer/,
    ],
    [
      'an issuer of another tenant',
      async () => issuer.issue(ADELE, { issuer: `https://login.microsoftonline.com/${OTHER.tid}/v2.0` }),
      /issuer/,
    ],
    ['a token without access_as_user', async () => issuer.issue(ADELE, { scp: 'User.Read' }), /access_as_user/],
  ])('refuses %s with 401 and a JSON error', async (_name, make, message) => {
    const res = await get('/api/tab/associations', await make());
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('unauthorized');
    expect(res.body.error?.message).toMatch(message);
  });

  it('refuses a forged token signed with another key under the real key id', async () => {
    const real = await issuer.issue(ADELE);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(real))
      .setProtectedHeader({ alg: 'RS256', kid: String(decodeProtectedHeader(real).kid) })
      .sign(privateKey);
    const res = await get('/api/tab/me', forged);
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toMatch(/signature/);
    const stranger = await createTabIssuer({ clientId: CLIENT_ID, baseUrl: server.baseUrl, tenantId: T1 });
    expect((await get('/api/tab/me', await stranger.issue(ADELE))).status).toBe(401);
  });

  it('refuses a well-signed token of another tenant with 403 before any handler: no rows read, none changed', async () => {
    const token = await issuer.issue(OTHER);
    const before = await dbSnapshot(db.kysely);
    for (const [method, path] of [
      ['GET', '/api/tab/me'],
      ['GET', '/api/tab/associations'],
      ['GET', '/api/tab/claims'],
      ['POST', '/api/tab/associations/x-a1/retry'],
      ['POST', '/api/tab/rules/r1/off'],
      ['POST', '/api/tab/mailboxes/mb-support/retry-failed'],
    ] as const) {
      const res = await fetch(`${server.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(403);
      const body = (await res.json()) as { error?: { code?: string }; items?: unknown };
      expect(body).toEqual({
        error: { code: 'wrong_tenant', message: expect.stringMatching(/another Microsoft 365/) },
      });
    }
    expect(await dbSnapshot(db.kysely)).toEqual(before);
  });

  it('refuses Try again on failed email jobs to a member, and a malformed mailbox id, changing nothing', async () => {
    const token = await issuer.issue(ADELE);
    const before = await dbSnapshot(db.kysely);
    const post = async (id: string) => {
      const res = await fetch(`${server.baseUrl}/api/tab/mailboxes/${id}/retry-failed`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
    };
    expect(await post('mb-support')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    for (const id of ['mb%00support', 'x'.repeat(201)]) {
      expect(await post(id), id).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    }
    expect(await dbSnapshot(db.kysely)).toEqual(before);
  });

  it('pages with no duplicates and no gaps while new saves arrive between pages', async () => {
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    await insertEmail(db.kysely, {
      id: 'pe',
      tenant: T1,
      mailbox: 'mb-support',
      subject: 'Paging',
      fromName: 'P',
      fromAddress: 'p@x.com',
      at: new Date(base).toISOString(),
    });
    const original: string[] = [];
    for (let i = 0; i < 120; i++) {
      // Pairs share a timestamp so the id tie-breaker is exercised.
      const id = `p-${String(i).padStart(3, '0')}`;
      original.push(id);
      await insertAssociation(db.kysely, {
        id,
        tenant_id: T1,
        email_id: 'pe',
        created_at: new Date(base + Math.floor(i / 2) * 1000).toISOString(),
        record_id: String(i),
      });
    }
    const token = await issuer.issue(ADELE);
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const q: string = `/api/tab/associations?q=paging&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await get(q, token);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as Array<{ id: string }>).map((r) => r.id));
      cursor = page.body.nextCursor as string | null;
      for (let k = 0; k < 7; k++, inserted++) {
        await insertAssociation(db.kysely, {
          id: `new-${inserted}`,
          tenant_id: T1,
          email_id: 'pe',
          created_at: new Date().toISOString(),
          record_id: `n${inserted}`,
        });
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith('p-'))).toEqual([...original].reverse());
  });
});
