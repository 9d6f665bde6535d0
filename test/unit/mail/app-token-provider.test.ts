import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { createAppTokenProvider } from '../../../bot/src/mail/app-token-provider.js';

function tokenEndpoint() {
  const calls: Array<{ url: string; form: URLSearchParams }> = [];
  let n = 0;
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), form: new URLSearchParams(String(init?.body)) });
    await new Promise((r) => setTimeout(r, 10));
    n++;
    return Response.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `tok${n}` });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

describe('createAppTokenProvider', () => {
  it('fetches once for concurrent callers and reuses the token until shortly before expiry', async () => {
    const endpoint = tokenEndpoint();
    let now = new Date('2026-11-22T10:00:00Z');
    const tokens = createAppTokenProvider({
      tenantId: 'tid',
      clientId: 'cid',
      clientSecret: 'sec',
      authorityHost: 'https://login.example/',
      fetch: endpoint.fetch,
      clock: () => now,
    });
    const all = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(all).toEqual(['tok1', 'tok1', 'tok1']);
    expect(endpoint.calls).toHaveLength(1);
    expect(endpoint.calls[0]?.url).toBe('https://login.example/tid/oauth2/v2.0/token');
    expect(Object.fromEntries(endpoint.calls[0]?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 'sec',
      scope: 'https://graph.microsoft.com/.default',
    });
    now = new Date(now.getTime() + 50 * 60_000);
    expect(await tokens.getToken()).toBe('tok1');
    now = new Date(now.getTime() + 6 * 60_000);
    expect(await tokens.getToken()).toBe('tok2');
    tokens.invalidate();
    expect(await tokens.getToken()).toBe('tok3');
  });

  it('turns an AAD refusal into graph_auth_failed with the AADSTS text', async () => {
    const fetch = (async () =>
      Response.json(
        { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
        { status: 401 },
      )) as typeof globalThis.fetch;
    const tokens = createAppTokenProvider({
      tenantId: 't',
      clientId: 'c',
      clientSecret: 'x',
      authorityHost: 'https://l',
      fetch,
    });
    const err = await tokens.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailroomError);
    expect((err as MailroomError).code).toBe('graph_auth_failed');
    expect((err as MailroomError).message).toContain('AADSTS7000215');
    expect((err as MailroomError).remedy).toContain('GRAPH_CLIENT_SECRET');
  });
});
