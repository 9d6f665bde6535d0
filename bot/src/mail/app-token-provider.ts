import { MailroomError } from '../core/errors.js';

export type FetchFn = typeof fetch;
export type Clock = () => Date;

export interface AppTokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com, or the emulator's base URL. */
  authorityHost: string;
  fetch?: FetchFn;
  clock?: Clock;
  /** Refresh this long before expiry, so a token never dies mid-request. */
  refreshMarginMs?: number;
}

export interface AppTokenProvider {
  getToken(): Promise<string>;
  /** Forget the cached token (after a 401), so the next call fetches a fresh one. */
  invalidate(): void;
}

const SCOPE = 'https://graph.microsoft.com/.default';

/**
 * App-only tokens by the client-credentials grant, as one form POST on `fetch`.
 * MSAL refuses a non-https authority, and the sandbox's is plain loopback HTTP, so the request is made here.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#get-a-token
 */
export function createAppTokenProvider(opts: AppTokenProviderOptions): AppTokenProvider {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? (() => new Date());
  const margin = opts.refreshMarginMs ?? 5 * 60_000;
  const url = `${opts.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(opts.tenantId)}/oauth2/v2.0/token`;
  let cached: { token: string; refreshAt: number } | undefined;
  // One request in flight at a time: twenty concurrent Graph calls share one token fetch.
  let inFlight: Promise<string> | undefined;

  async function request(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      scope: SCOPE,
    });
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    } catch (cause) {
      throw new MailroomError('graph_unavailable', `The token endpoint ${url} could not be reached`, {
        cause,
        remedy: 'Check the network path to AUTHORITY_HOST; Mailroom will try again.',
      });
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof json.access_token !== 'string') {
      const detail = typeof json.error_description === 'string' ? json.error_description : `HTTP ${res.status}`;
      if (res.status >= 500) {
        throw new MailroomError('graph_unavailable', `The token endpoint failed: ${detail}`, {
          status: res.status,
          remedy: 'Entra ID is having trouble; Mailroom will try again.',
        });
      }
      throw new MailroomError('graph_auth_failed', `Entra ID refused the app's credentials: ${detail}`, {
        status: res.status,
        remedy:
          'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET against the app registration (the secret may have expired), and that an admin granted consent.',
      });
    }
    const expiresIn = Number(json.expires_in ?? 3599);
    const lifetimeMs = Math.max(0, expiresIn * 1000);
    cached = {
      token: json.access_token,
      refreshAt: clock().getTime() + Math.max(lifetimeMs - margin, lifetimeMs / 2),
    };
    return json.access_token;
  }

  return {
    async getToken() {
      if (cached && clock().getTime() < cached.refreshAt) return cached.token;
      if (!inFlight) {
        inFlight = request().finally(() => {
          inFlight = undefined;
        });
      }
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
