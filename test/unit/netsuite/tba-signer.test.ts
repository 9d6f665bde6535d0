import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TbaSigner, tbaRealm } from '../../../bot/src/netsuite/tba-signer.js';

/** The header's parameters, decoded. */
function params(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/([a-z_]+)="([^"]*)"/g)) out[m[1] ?? ''] = decodeURIComponent(m[2] ?? '');
  return out;
}

describe('TbaSigner', () => {
  const signer = new TbaSigner({
    accountId: '123456_SB1',
    consumerKey: 'ck1',
    consumerSecret: 'cs1',
    tokenId: 'tk1',
    tokenSecret: 'ts1',
    nonce: () => 'n0nce42',
    clock: () => new Date(1_700_000_000_000),
  });

  it('signs with HMAC-SHA256 over the OAuth 1.0a base string, query included', async () => {
    const url = 'https://123456-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=5&offset=0';
    const header = await signer.authorize('post', url);
    // Written out by hand from RFC 5849 §3.4.1: method, encoded base URL, encoded sorted parameters.
    const base =
      'POST&https%3A%2F%2F123456-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Fquery%2Fv1%2Fsuiteql&' +
      'limit%3D5%26oauth_consumer_key%3Dck1%26oauth_nonce%3Dn0nce42%26oauth_signature_method%3DHMAC-SHA256' +
      '%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk1%26oauth_version%3D1.0%26offset%3D0';
    const expected = createHmac('sha256', 'cs1&ts1').update(base).digest('base64');
    const p = params(header);
    expect(header.startsWith('OAuth ')).toBe(true);
    expect(p.oauth_signature).toBe(expected);
    expect(p.realm).toBe('123456_SB1');
    expect(p.oauth_signature_method).toBe('HMAC-SHA256');
    expect(p.oauth_token).toBe('tk1');
  });

  it('writes the realm in NetSuite form', () => {
    expect(tbaRealm('123456-sb1')).toBe('123456_SB1');
  });

  it('uses a fresh nonce of at least six characters by default', async () => {
    const s = new TbaSigner({ accountId: '1', consumerKey: 'a', consumerSecret: 'b', tokenId: 'c', tokenSecret: 'd' });
    const a = params(await s.authorize('GET', 'https://x.example/a')).oauth_nonce ?? '';
    const b = params(await s.authorize('GET', 'https://x.example/a')).oauth_nonce ?? '';
    expect(a.length).toBeGreaterThanOrEqual(6);
    expect(a).not.toBe(b);
  });
});
