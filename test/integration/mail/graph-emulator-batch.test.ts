import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { appToken, emulator, SUPPORT_ID } from './graph-test-kit.js';

interface ItemAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { id?: string; categories?: string[]; error?: { code: string } };
}

const get = (id: string, url: string, extra: Record<string, unknown> = {}) => ({ id, method: 'GET', url, ...extra });
const setCategories = (id: string, url: string, categories: string[], extra: Record<string, unknown> = {}) => ({
  id,
  method: 'PATCH',
  url,
  headers: { 'Content-Type': 'application/json' },
  body: { categories },
  ...extra,
});

describe('the Graph emulator’s POST /$batch, as strict as Graph (https://learn.microsoft.com/graph/json-batching)', () => {
  let emu: GraphEmulator;
  let token: string;
  let messageId: string;
  const message = () => `/users/${SUPPORT_ID}/messages/${messageId}`;

  const batch = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emu.graphBaseUrl}/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as { responses?: ItemAnswer[]; error?: { code: string; message: string } };
    return { status: res.status, ...json };
  };
  const categories = () => emu.state.messages.find((m) => m.immutableId === messageId)?.categories ?? [];

  beforeEach(async () => {
    emu = await emulator();
    token = await appToken(emu);
    const [copy] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Batched' });
    messageId = copy?.id ?? '';
  });
  afterEach(async () => {
    await emu.close();
  });

  it('answers each request on its own, found and not found, with Graph’s Content-Type in each item', async () => {
    const prefer = { headers: { Prefer: 'IdType="ImmutableId"' } };
    const r = await batch({
      requests: [get('1', `${message()}?$select=id,subject`, prefer), get('2', `${message()}x`)],
    });
    expect(r.status).toBe(200);
    const byId = new Map(r.responses?.map((x) => [x.id, x]));
    expect(byId.get('1')).toMatchObject({ status: 200, body: { id: messageId } });
    expect(byId.get('1')?.headers['Content-Type']).toMatch(/^application\/json/);
    expect(byId.get('2')).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
  });

  it('refuses a malformed batch whole with 400, and runs none of its requests', async () => {
    const patch = setCategories('p', message(), ['Changed']);
    const twentyOne = Array.from({ length: 21 }, (_, i) => get(String(i + 1), message()));
    const refused = [
      { requests: [patch, ...twentyOne.slice(0, 20)] },
      { requests: [patch, get('P', message())] },
      { requests: [patch, get('a', `https://graph.microsoft.com/v1.0${message()}`)] },
      { requests: [patch], extra: true },
      { requests: [{ ...patch, note: 'x' }] },
      { requests: [{ ...patch, headers: {} }] },
      { requests: [patch, get('b', message(), { dependsOn: ['nobody'] })] },
      { requests: [patch, get('c', '/$batch')] },
      { requests: [] },
      { requests: [{ ...patch, dependsOn: ['d'] }, get('d', message(), { dependsOn: ['p'] })] },
    ];
    for (const body of refused) {
      const r = await batch(body);
      expect(r.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(r.error?.code).toBe('BadRequest');
    }
    expect((await batch('{"requests":')).status).toBe(400);
    expect((await batch({ requests: [patch] }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(categories()).toEqual([]);
    expect(emu.state.requests.filter((q) => q.path !== '/v1.0/$batch')).toEqual([]);
  });

  it('checks the token of the batch: none, or a wrong one, is 401 and nothing runs', async () => {
    const body = { requests: [get('1', message())] };
    token = 'not-a-token';
    const r = await batch(body);
    expect(r.status).toBe(401);
    expect(r.responses).toBeUndefined();
  });

  it('throttles requests in a batch one by one: a 429 with its own Retry-After beside the others’ 200', async () => {
    emu.faults.throttle(1, 429, 7);
    const r = await batch({ requests: [get('1', message()), get('2', message()), get('3', message())] });
    expect(r.status).toBe(200);
    const statuses = (r.responses ?? []).map((x) => [x.id, x.status, x.headers['Retry-After']]);
    expect(statuses).toEqual([
      ['1', 429, '7'],
      ['2', 200, undefined],
      ['3', 200, undefined],
    ]);
  });

  it('runs dependsOn in order and answers 424 for a request whose dependency failed', async () => {
    const patch = setCategories('2', message(), ['After 1'], { dependsOn: ['1'] });
    const failed = await batch({ requests: [patch, get('1', `${message()}x`)] });
    expect(failed.responses?.map((x) => [x.id, x.status])).toEqual([
      ['1', 404],
      ['2', 424],
    ]);
    expect(categories()).toEqual([]);
    const ok = await batch({ requests: [patch, get('1', message())] });
    expect(ok.responses?.map((x) => [x.id, x.status])).toEqual([
      ['1', 200],
      ['2', 200],
    ]);
    expect(categories()).toEqual(['After 1']);
  });

  it('gives an item the immutable id only when that item asks for it in its own headers', async () => {
    const prefer = { Prefer: 'IdType="ImmutableId"' };
    const r = await batch(
      { requests: [get('own', message(), { headers: prefer }), get('outer', message())] },
      { prefer: 'IdType="ImmutableId"' },
    );
    const byId = new Map(r.responses?.map((x) => [x.id, x.body?.id]));
    expect(byId.get('own')).toBe(messageId);
    expect(byId.get('outer')).not.toBe(messageId);
  });
});
