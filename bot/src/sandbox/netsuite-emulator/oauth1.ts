import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `OAuth realm="…", oauth_consumer_key="…", …`. */
export function parseOAuthHeader(header: string): Record<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    const [, k, v] = m;
    if (k !== undefined && v !== undefined) params[k] = decodeURIComponent(v);
  }
  return params;
}

/**
 * The signature base string (RFC 5849 §3.4.1): METHOD & encoded base URL & encoded, sorted parameters. The
 * query string is included; `realm` and `oauth_signature` are not; a JSON body never is.
 */
export function signatureBaseString(method: string, url: URL, oauthParams: Record<string, string>): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of url.searchParams) pairs.push([percentEncode(k), percentEncode(v)]);
  for (const [k, v] of Object.entries(oauthParams)) {
    if (k === 'realm' || k === 'oauth_signature') continue;
    pairs.push([percentEncode(k), percentEncode(v)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const params = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  // Scheme and host are case-insensitive (lower-cased); the path is not. URL.host leaves out a default port.
  const base = `${url.protocol}//${url.host}`.toLowerCase() + url.pathname;
  return [method.toUpperCase(), percentEncode(base), percentEncode(params)].join('&');
}

export function hmacSha256Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha256', key).update(base).digest('base64');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
