import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { Authorizer } from './authorizer.js';

export interface TbaOptions {
  /** NetSuite's realm form of the account id, e.g. `123456_SB1` (upper case, underscore). */
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
  clock?: () => Date;
  /** Test hook: a fixed nonce. */
  nonce?: () => string;
}

/**
 * Token-based authentication (OAuth 1.0a), HMAC-SHA256 only. The query string is part of the signature base
 * string; a JSON body is not.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4395630653.html (TBA authorization header)
 */
export class TbaSigner implements Authorizer {
  private readonly oauth: OAuth;

  constructor(private readonly opts: TbaOptions) {
    this.oauth = new OAuth({
      consumer: { key: opts.consumerKey, secret: opts.consumerSecret },
      signature_method: 'HMAC-SHA256',
      realm: tbaRealm(opts.accountId),
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    const clock = opts.clock ?? (() => new Date());
    // The library's nonce uses Math.random; a nonce should be unpredictable (NetSuite wants at least 6 characters).
    this.oauth.getNonce = opts.nonce ?? (() => randomBytes(24).toString('base64url').replace(/[-_]/g, 'x'));
    this.oauth.getTimeStamp = () => Math.floor(clock().getTime() / 1000);
  }

  async authorize(method: string, url: string): Promise<string> {
    const data = this.oauth.authorize(
      { url, method: method.toUpperCase() },
      { key: this.opts.tokenId, secret: this.opts.tokenSecret },
    );
    return this.oauth.toHeader(data).Authorization;
  }

  invalidate(): void {
    // TBA tokens do not expire on their own; nothing is cached.
  }
}

/** The realm NetSuite expects: the account id in upper case with `-` as `_` (`123456-sb1` → `123456_SB1`). */
export function tbaRealm(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}
