import { afterEach, describe, expect, it } from 'vitest';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { appToken, emulator, SUPPORT_ID } from './graph-test-kit.js';

type GraphErrorBody = { error: { code: string; message: string; innerError: Record<string, string> } };

/** Raw HTTP against the emulator, as an app with exactly `permissions`, so the wire shapes are what is checked. */
async function client(permissions: readonly string[]) {
  const emu = await emulator({ permissions });
  const access_token = await appToken(emu);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.graphBaseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${access_token}`,
        prefer: 'IdType="ImmutableId"',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as GraphErrorBody };
  };
  return { emu, call };
}

describe('the Graph emulator refuses what Graph refuses', () => {
  let emu: GraphEmulator | undefined;
  afterEach(async () => emu?.close());

  it('answers 403 in each workload’s own shape for a call the granted permissions do not cover', async () => {
    const c = await client(['Mail.ReadBasic.All']);
    emu = c.emu;
    const [copy] = c.emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Hello' });
    const cases: Array<[string, string, unknown, string]> = [
      ['PATCH', `/users/${SUPPORT_ID}/messages/${copy?.id}`, { categories: ['x'] }, 'ErrorAccessDenied'],
      ['GET', `/users/${SUPPORT_ID}/messages/${copy?.id}/attachments`, undefined, 'ErrorAccessDenied'],
      ['GET', `/users/${SUPPORT_ID}/mailboxSettings/userPurpose`, undefined, 'ErrorAccessDenied'],
      ['GET', `/users/${SUPPORT_ID}/outlook/masterCategories`, undefined, 'ErrorAccessDenied'],
      ['GET', `/users/${SUPPORT_ID}`, undefined, 'Authorization_RequestDenied'],
      ['GET', '/teams/4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c/members', undefined, 'Forbidden'],
    ];
    for (const [method, path, body, code] of cases) {
      const res = await c.call(method, path, body);
      expect([res.status, res.json.error.code], `${method} ${path}`).toEqual([403, code]);
      expect(res.json.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // What Mail.ReadBasic.All does allow still works.
    expect((await c.call('GET', `/users/${SUPPORT_ID}/messages/${copy?.id}?$select=subject`)).status).toBe(200);
    expect(c.emu.state.messages[0]?.categories).toEqual([]);
  });

  it('refuses a subscription without the permission its page lists (Mail.Read), as ExtensionError wrapping Forbidden', async () => {
    // The page's application column names Mail.Read for messages; ReadWrite and ReadBasic.All are not taken.
    const c = await client(['User.Read.All', 'Mail.ReadWrite', 'Mail.ReadBasic.All']);
    emu = c.emu;
    const res = await c.call('POST', '/subscriptions', {
      changeType: 'created',
      resource: `users/${SUPPORT_ID}/messages`,
      notificationUrl: 'https://example.invalid/n',
      expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ code: 'ExtensionError', message: expect.stringContaining('Forbidden') });
    expect(c.emu.state.subscriptions.size).toBe(0);
  });

  it('refuses unknown query options, options the operation does not take, and unknown $select names', async () => {
    const c = await client(['Mail.ReadWrite', 'User.Read.All']);
    emu = c.emu;
    const [copy] = c.emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Hello' });
    const msg = `/users/${SUPPORT_ID}/messages/${copy?.id}`;
    const bogus = await c.call('GET', `${msg}?$bogus=1`);
    expect([bogus.status, bogus.json.error.message]).toEqual([400, "The query parameter '$bogus' is not supported."]);
    const notHere = await c.call('GET', `/subscriptions?$select=id`);
    expect(notHere.status).toBe(400);
    expect(notHere.json.error.message).toContain("Query option 'Select' is not allowed");
    const field = await c.call('GET', `${msg}?$select=subject,mood`);
    expect([field.status, field.json.error.code]).toEqual([400, 'RequestBroker--ParseUri']);
    expect(field.json.error.message).toBe("Could not find a property named 'mood' on type 'microsoft.graph.message'.");
    const user = await c.call('GET', `/users/${SUPPORT_ID}?$select=displayName,shoeSize`);
    expect([user.status, user.json.error.code]).toEqual([400, 'Request_BadRequest']);
    // OData custom options (no $) are ignored, as Graph ignores them.
    expect((await c.call('GET', `${msg}?foo=bar`)).status).toBe(200);
  });

  it('refuses unknown properties and over-long values in request bodies, and changes nothing', async () => {
    const c = await client(['Mail.ReadWrite', 'MailboxSettings.ReadWrite']);
    emu = c.emu;
    const [copy] = c.emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Hello' });
    const msg = `/users/${SUPPORT_ID}/messages/${copy?.id}`;
    const unknown = await c.call('PATCH', msg, { categories: ['A'], mood: 'happy' });
    expect([unknown.status, unknown.json.error.code]).toEqual([400, 'RequestBodyRead']);
    expect(unknown.json.error.message).toContain(
      "The property 'mood' does not exist on type 'microsoft.graph.message'",
    );
    const long = await c.call('PATCH', msg, { categories: ['x'.repeat(256)] });
    expect(long.status).toBe(400);
    expect(c.emu.state.messages[0]?.categories).toEqual([]);
    const master = `/users/${SUPPORT_ID}/outlook/masterCategories`;
    expect((await c.call('POST', master, { displayName: 'y'.repeat(256), color: 'preset1' })).status).toBe(400);
    expect((await c.call('POST', master, { displayName: 'Ok', color: 'purple' })).status).toBe(400);
    expect((await c.call('POST', master, { displayName: 'Ok', color: 'preset1', extra: 1 })).status).toBe(400);
    expect(c.emu.state.masterCategories.get(SUPPORT_ID) ?? []).toEqual([]);
    expect((await c.call('POST', master, { displayName: 'Ok', color: 'preset24' })).status).toBe(201);
  });

  it('gives a message a new default id when it moves; only the immutable id survives', async () => {
    const c = await client(['Mail.ReadWrite']);
    emu = c.emu;
    const [copy] = c.emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Moving' });
    const plain = async (path: string) => {
      const res = await fetch(`${c.emu.graphBaseUrl}${path}`, {
        headers: { authorization: tokenOf(c.emu) ?? '' },
      });
      return { status: res.status, json: (await res.json()) as { id?: string } };
    };
    const before = await plain(`/users/${SUPPORT_ID}/messages/${copy?.id}?$select=id`);
    expect(before.json.id).toMatch(/^AAMkAG/);
    const moved = await fetch(`${c.emu.url}/_sandbox/messages/${copy?.id}/move`, {
      method: 'POST',
      body: JSON.stringify({ folder: 'Orders' }),
    });
    expect(moved.status).toBe(200);
    expect((await plain(`/users/${SUPPORT_ID}/messages/${before.json.id}`)).status).toBe(404);
    const after = await plain(`/users/${SUPPORT_ID}/messages/${copy?.id}?$select=id`);
    expect(after.json.id).not.toBe(before.json.id);
    expect((await c.call('GET', `/users/${SUPPORT_ID}/messages/${copy?.id}?$select=id`)).json).toMatchObject({
      id: copy?.id,
    });
  });
});

/** The Authorization header of the one token the emulator issued. */
function tokenOf(emu: GraphEmulator): string | undefined {
  const [token] = emu.state.tokens.keys();
  return token === undefined ? undefined : `Bearer ${token}`;
}
