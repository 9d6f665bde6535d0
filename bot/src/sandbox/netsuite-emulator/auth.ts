import { createPublicKey, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { hmacSha256Signature, parseOAuthHeader, sameSecret, signatureBaseString } from './oauth1.js';

export interface EmulatorAuthConfig {
  accountId: string;
  m2m?: { clientId: string; certificateId: string; publicKeyPem: string };
  tba?: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };
}

const TOKEN_LIFETIME_S = 3600;
const SCOPES = ['restlets', 'rest_webservices', 'suite_analytics'];

/** Issues and checks credentials the way NetSuite does, for M2M bearer tokens and TBA signatures. */
export class EmulatorAuth {
  /** Bearer token → its expiry and the scopes its assertion asked for. */
  private readonly tokens = new Map<string, { until: number; scopes: string[] }>();
  private readonly nonces = new Set<string>();

  constructor(private readonly cfg: EmulatorAuthConfig) {}

  /**
   * The client-credentials token endpoint: verifies the JWT assertion (signature against the certificate's
   * public key, kid, iss, aud, exp within 60 minutes of iat, scope) and issues a bearer token.
   */
  async issueToken(form: URLSearchParams, tokenUrl: string): Promise<{ status: number; body: object }> {
    const fail = (error: string, why: string) => ({ status: 400, body: { error, error_description: why } });
    if (form.get('grant_type') !== 'client_credentials') return fail('unsupported_grant_type', 'grant_type');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return fail('invalid_request', 'client_assertion_type');
    }
    const m2m = this.cfg.m2m;
    const assertion = form.get('client_assertion') ?? '';
    let scopes: string[] = [];
    if (!m2m) return fail('invalid_client', 'M2M is not set up on this account');
    try {
      const header = decodeProtectedHeader(assertion);
      if (header.kid !== m2m.certificateId) return fail('invalid_client', 'unknown certificate id (kid)');
      const { payload } = await jwtVerify(assertion, createPublicKey(m2m.publicKeyPem), {
        algorithms: ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
        issuer: m2m.clientId,
        audience: tokenUrl,
        requiredClaims: ['exp', 'iat'],
      });
      if ((payload.exp ?? 0) - (payload.iat ?? 0) > 3600)
        return fail('invalid_grant', 'exp is over 60 minutes after iat');
      // "restlets, rest_webservices, suite_analytics, or all of them, separated by a comma" (O:section_162790605110).
      scopes = String(payload.scope ?? '')
        .split(',')
        .map((x) => x.trim());
      if (scopes.length === 0 || scopes.some((x) => !SCOPES.includes(x))) {
        return fail('invalid_scope', `scope must be ${SCOPES.join(', ')} or several of them, separated by a comma`);
      }
    } catch (err) {
      return fail('invalid_grant', err instanceof Error ? err.message : 'bad assertion');
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { until: Date.now() + TOKEN_LIFETIME_S * 1000, scopes });
    return {
      status: 200,
      body: { access_token: token, expires_in: String(TOKEN_LIFETIME_S), token_type: 'bearer' },
    };
  }

  /**
   * Checks a request's Authorization header; returns why it fails, or null when it passes. A bearer token must
   * carry the scope of the service it calls: `rest_webservices` for REST and SuiteQL, `restlets` for a RESTlet.
   */
  check(req: IncomingMessage, url: URL, scope: 'rest_webservices' | 'restlets'): string | null {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const token = this.tokens.get(header.slice(7));
      if (token === undefined) return 'unknown bearer token';
      if (token.until <= Date.now()) return 'expired bearer token';
      return token.scopes.includes(scope) ? null : `the token's scope lacks ${scope}`;
    }
    const p = parseOAuthHeader(header);
    const tba = this.cfg.tba;
    if (!p) return 'no Authorization header';
    if (!tba) return 'TBA is not set up on this account';
    if (p.realm !== this.cfg.accountId) return `realm ${p.realm ?? '(none)'} is not ${this.cfg.accountId}`;
    if (p.oauth_signature_method !== 'HMAC-SHA256') return 'signature method must be HMAC-SHA256';
    if (p.oauth_consumer_key !== tba.consumerKey || p.oauth_token !== tba.tokenId) return 'unknown consumer or token';
    const nonce = p.oauth_nonce ?? '';
    if (nonce.length < 6) return 'nonce shorter than 6 characters';
    if (Math.abs(Number(p.oauth_timestamp) - Date.now() / 1000) > 300) return 'timestamp too far from now';
    if (this.nonces.has(`${p.oauth_timestamp}:${nonce}`)) return 'nonce used before';
    const base = signatureBaseString(req.method ?? 'GET', url, p);
    const expected = hmacSha256Signature(base, tba.consumerSecret, tba.tokenSecret);
    if (!sameSecret(expected, p.oauth_signature ?? '')) return 'signature mismatch';
    this.nonces.add(`${p.oauth_timestamp}:${nonce}`);
    return null;
  }
}
