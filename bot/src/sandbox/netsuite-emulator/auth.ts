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

/** Issues and checks credentials the way NetSuite does, for M2M bearer tokens and TBA signatures. */
export class EmulatorAuth {
  private readonly tokens = new Map<string, number>();
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
      const scopes = String(payload.scope ?? '').split(/[,\s]+/);
      if (!scopes.includes('rest_webservices')) return fail('invalid_scope', 'scope lacks rest_webservices');
    } catch (err) {
      return fail('invalid_grant', err instanceof Error ? err.message : 'bad assertion');
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + TOKEN_LIFETIME_S * 1000);
    return {
      status: 200,
      body: { access_token: token, expires_in: String(TOKEN_LIFETIME_S), token_type: 'bearer' },
    };
  }

  /** Checks a REST request's Authorization header; returns why it fails, or null when it passes. */
  check(req: IncomingMessage, url: URL): string | null {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const until = this.tokens.get(header.slice(7));
      if (until === undefined) return 'unknown bearer token';
      return until > Date.now() ? null : 'expired bearer token';
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
