import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomError } from '../../../bot/src/core/errors.js';
import { NetSuiteClient } from '../../../bot/src/netsuite/client.js';
import { LocalGovernor } from '../../../bot/src/netsuite/governor.js';
import { TbaSigner } from '../../../bot/src/netsuite/tba-signer.js';
import type { NetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { clientFor, creds, m2mAuth, silent, startEmulator } from './harness.js';

let ns: NetSuiteEmulator;
beforeAll(async () => {
  ns = await startEmulator();
});
afterAll(async () => ns.close());

const caught = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as MailroomError,
  );

describe('NetSuiteClient against the emulator', () => {
  it('reads a record, with only the fields asked for', async () => {
    const c = clientFor(ns.url);
    const rec = await c.get<{ companyName?: string; email?: string }>('customer', '101', { fields: ['companyName'] });
    expect(rec.companyName).toBe('Fabrikam, Inc.');
    expect(rec.email).toBeUndefined();
  });

  it('pages SuiteQL with hasMore, offset and totalResults, and gathers every page', async () => {
    const c = clientFor(ns.url);
    const q = 'SELECT id, companyname FROM customer ORDER BY id';
    const first = await c.suiteql(q, { limit: 2, offset: 0 });
    expect(first).toMatchObject({ count: 2, hasMore: true, offset: 0 });
    expect(first.totalResults).toBeGreaterThanOrEqual(4);
    const all = await c.suiteqlAll<{ id: string }>(q, { maxRows: 100 });
    expect(all.map((r) => r.id).slice(0, 4)).toEqual(['101', '102', '103', '104']);
    await expect(c.suiteql(q, { limit: 2, offset: 3 })).rejects.toThrow(/multiple of limit/);
  });

  it('retries 429 and 503 with backoff, honouring Retry-After, then succeeds', async () => {
    const c = clientFor(ns.url);
    const before = ns.state.counters.requests;
    ns.failNext(2, 429, { retryAfter: 0 });
    await expect(c.suiteql('SELECT id FROM vendor')).resolves.toMatchObject({ count: 1 });
    ns.failNext(2, 503);
    await expect(c.suiteql('SELECT id FROM partner')).resolves.toMatchObject({ count: 1 });
    expect(ns.state.counters.requests - before).toBe(6);
  });

  it('gives up on a long outage with netsuite_unavailable and a remedy', async () => {
    const c = clientFor(ns.url);
    ns.failNext(50, 503);
    const err = await caught(c.suiteql('SELECT id FROM vendor'));
    ns.failNext(0, 503);
    expect(err.code).toBe('netsuite_unavailable');
    expect(err.remedy).toMatch(/retries on its own/);
  });

  it('retries NetSuite’s misleading concurrency-401 once, and succeeds', async () => {
    const c = clientFor(ns.url);
    const tokens = ns.state.counters.tokenRequests;
    ns.failNext(1, 401);
    await expect(c.suiteql('SELECT id FROM vendor')).resolves.toMatchObject({ count: 1 });
    // The cached token was dropped and a new one fetched, in case the 401 meant it.
    expect(ns.state.counters.tokenRequests - tokens).toBe(2);
  });

  it('does not keep retrying a real auth failure (wrong TBA secret)', async () => {
    const bad = new TbaSigner({ accountId: creds.accountId, ...creds.tba, tokenSecret: 'wrong' });
    const c = clientFor(ns.url, { auth: bad });
    const before = ns.state.counters.requests;
    const err = await caught(c.suiteql('SELECT id FROM vendor'));
    expect(err.code).toBe('netsuite_auth_failed');
    expect(err.remedy).toMatch(/Login Audit Trail/);
    expect(ns.state.counters.requests - before).toBe(2);
  });

  it('signs TBA requests the emulator verifies independently', async () => {
    const c = clientFor(ns.url, { auth: new TbaSigner({ accountId: creds.accountId, ...creds.tba }) });
    await expect(c.suiteql("SELECT id FROM customer WHERE companyname = 'O''Brien & Sons'")).resolves.toMatchObject({
      items: [{ id: '104' }],
    });
  });

  it('fails fast when the token endpoint refuses the assertion (wrong certificate id)', async () => {
    const c = clientFor(ns.url, { auth: m2mAuth(ns.url, { certificateId: 'someone-else' }) });
    const before = ns.state.counters.requests;
    const err = await caught(c.get('customer', '101'));
    expect(err.code).toBe('netsuite_auth_failed');
    expect(ns.state.counters.requests).toBe(before);
  });

  it('maps a missing record to netsuite_not_found', async () => {
    const err = await caught(clientFor(ns.url).get('customer', '999999'));
    expect(err.code).toBe('netsuite_not_found');
  });

  it('sends a request id on every call', async () => {
    const seen: string[] = [];
    const spy = (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('x-request-id') ?? '');
      return fetch(url, init);
    }) as typeof fetch;
    const spied = new NetSuiteClient({
      baseUrl: ns.url,
      auth: m2mAuth(ns.url),
      fetch: spy,
      governor: new LocalGovernor(1),
      log: silent,
    });
    await spied.suiteql('SELECT id FROM vendor');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
