import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M2MTokenProvider } from '../../bot/src/netsuite/m2m-token-provider.js';
import {
  type NetSuiteEmulator,
  sandboxNetSuiteCredentials,
  startNetSuiteEmulator,
} from '../../bot/src/sandbox/netsuite-emulator/index.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fake-connector.js';
import { concrete, readWireTable, type WireRow } from '../helpers/wire-table.js';

const { rows } = readWireTable();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Rows an emulator must answer: everything Mailroom calls today, plus what an emulator serves uncalled. */
const answered = (r: WireRow) => r.status !== 'sdk' && r.status !== 'removed';
const under = (prefix: string) => rows.filter((r) => r.section.startsWith(prefix));
const connectorRows = under('Bot Connector (host');
const netsuiteRows = under('NetSuite REST and SuiteQL');
const restletRows = under('NetSuite RESTlet');

describe('docs/wire.md', () => {
  it('names every call once, with a method, a path, a page and a status', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) {
      expect(METHODS, r.id).toContain(r.method);
      expect(r.path, r.id).toMatch(/^\/[^?\s]*$/);
      expect(r.follows, r.id).toMatch(/L:|O:|https:\/\/|@microsoft\//);
    }
  });
});

describe('the NetSuite emulator answers the calls in docs/wire.md', () => {
  let netsuite: NetSuiteEmulator;
  let bearer: string;
  const call = async (method: string, path: string) => {
    const res = await fetch(`${netsuite.url}${path}`, {
      method,
      headers: { authorization: bearer, 'content-type': 'application/json', prefer: 'transient' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"q":"SELECT id FROM customer"}' }),
    });
    const text = await res.text();
    return { status: res.status, unrouted: /INVALID_URL/.test(text) };
  };

  beforeAll(async () => {
    const creds = sandboxNetSuiteCredentials();
    netsuite = await startNetSuiteEmulator({
      accountId: creds.accountId,
      m2m: {
        clientId: creds.m2m.clientId,
        certificateId: creds.m2m.certificateId,
        publicKeyPem: creds.m2m.publicKeyPem,
      },
    });
    const tokens = new M2MTokenProvider({
      tokenUrl: `${netsuite.url}/services/rest/auth/oauth2/v1/token`,
      clientId: creds.m2m.clientId,
      certificateId: creds.m2m.certificateId,
      privateKeyPem: creds.m2m.privateKeyPem,
      fetch,
    });
    bearer = await tokens.authorize();
  });
  afterAll(async () => netsuite?.close());

  it('routes every documented call', async () => {
    const unrouted: string[] = [];
    for (const r of netsuiteRows.filter((x) => answered(x) && x.id !== 'N01')) {
      const path = concrete(r.path, { v1: 'customer' }, '1');
      if ((await call(r.method, path)).unrouted) unrouted.push(`${r.id} ${r.method} ${path}`);
    }
    expect(unrouted).toEqual([]);
  });

  it('refuses record calls that are not in the table, and the removed ones', async () => {
    const removed = netsuiteRows.filter((r) => r.status === 'removed');
    expect(removed.map((r) => r.id)).toEqual(['N04', 'N05', 'N06', 'N07']);
    for (const [method, path] of [
      ['POST', '/services/rest/record/v1/customer'],
      ['GET', '/services/rest/record/v1/salesOrder/1'],
      ...removed.map((r) => [r.method, concrete(r.path, {}, '1')] as const),
    ] as const) {
      expect((await call(method, path)).unrouted, `${method} ${path}`).toBe(true);
    }
  });

  it('answers the SuiteApp RESTlet at the path of its row, with the ids the SDF project deploys', async () => {
    expect(restletRows.map((r) => `${r.id} ${r.method} ${r.path}`)).toEqual(['R01 POST /app/site/hosting/restlet.nl']);
    const post = (query: string) =>
      fetch(`${netsuite.url}/app/site/hosting/restlet.nl?${query}`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: '{}',
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code?: string } } }));
    const deployed = await post('script=customscript_mailroom_save&deploy=customdeploy_mailroom_save');
    expect(deployed).toMatchObject({ status: 400, body: { error: { code: 'MAILROOM_BAD_REQUEST' } } });
    const other = await post('script=customscript_other&deploy=customdeploy_mailroom_save');
    expect(other).toMatchObject({ status: 400, body: { error: { code: 'SSS_INVALID_SCRIPTLET_ID' } } });
  });
});

describe('the fake Bot Connector answers the calls in docs/wire.md', () => {
  let connector: FakeConnector;
  let byPrevious: Record<string, string>;
  const call = async (method: string, path: string, body: unknown = {}) => {
    const res = await fetch(`${connector.url.replace(/\/$/, '')}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify(body) }),
    });
    await res.text();
    return res.status;
  };

  beforeAll(async () => {
    connector = await startFakeConnector();
    const channel = '19:5a7e2c1d0b9f4e8d7c6b5a4f3e2d1c0b@thread.tacv2';
    await call('POST', '/v3/conversations', {
      isGroup: true,
      channelData: { channel: { id: channel } },
      activity: { type: 'message', text: 'root' },
    });
    const root = connector.posts[0];
    byPrevious = { conversations: root?.conversationId ?? '', activities: root?.activityId ?? '', teams: channel };
  });
  afterAll(async () => connector?.close());

  it('routes every documented call, and not the Bot Connector calls Mailroom never makes', async () => {
    const body = { isGroup: true, channelData: { channel: { id: byPrevious.teams } }, activity: { type: 'message' } };
    const statuses = await Promise.all(
      connectorRows.filter(answered).map(async (r) => [r.id, await call(r.method, concrete(r.path, byPrevious), body)]),
    );
    expect(statuses.filter(([, s]) => s === 404)).toEqual([]);
    const conv = encodeURIComponent(byPrevious.conversations ?? '');
    for (const [method, path] of [
      ['DELETE', `/v3/conversations/${conv}/activities/${byPrevious.activities}`],
      ['GET', `/v3/conversations/${conv}/pagedmembers`],
      ['GET', `/v3/conversations/${conv}/members`],
      ['POST', `/v3/conversations/${conv}/attachments`],
    ] as const) {
      expect(await call(method, path), `${method} ${path}`).toBe(404);
    }
  });

  // Teams cannot update a message that was never posted, and neither can the fake.
  it('refuses to update an activity it never posted', async () => {
    const conv = encodeURIComponent(byPrevious.conversations ?? '');
    expect(await call('PUT', `/v3/conversations/${conv}/activities/999`, { type: 'message' })).toBe(404);
  });
});
