import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { MailroomError } from '../core/errors.js';
import type { Authorizer, Clock, FetchFn } from './authorizer.js';
import { mapNetSuiteError, parseErrorBody } from './map-error.js';

export interface M2MOptions {
  /** `<base>/services/rest/auth/oauth2/v1/token`; also the assertion's `aud`. */
  tokenUrl: string;
  clientId: string;
  certificateId: string;
  privateKeyPem: string;
  fetch: FetchFn;
  clock?: Clock;
  /** Seconds before the token's expiry at which a new one is fetched. */
  refreshSkewSeconds?: number;
}

/**
 * The JWT `alg` for the certificate's key: RSA (3072 or 4096 bits) signs PS256; an EC key signs with the hash its
 * curve goes with, P-256 ES256, P-384 ES384, P-521 ES512.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_162790605110.html (alg values),
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_162755332391.html (certificate conditions),
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_0312092212.html (curve and hash per alg)
 */
export function signingAlgorithm(key: KeyObject): 'PS256' | 'ES256' | 'ES384' | 'ES512' {
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return 'PS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
  }
  throw new MailroomError(
    'config_invalid',
    `the NetSuite private key is a ${key.asymmetricKeyType ?? 'unknown'} key NetSuite does not take`,
    {
      remedy:
        'NetSuite M2M certificates hold an RSA key (3072 or 4096 bits) or an EC key on P-256, P-384 or P-521. Make a new key and certificate, upload it in OAuth 2.0 Client Credentials (M2M) Setup, and set NETSUITE_PRIVATE_KEY and NETSUITE_CERTIFICATE_ID.',
    },
  );
}

/**
 * OAuth 2.0 client credentials (machine to machine): a JWT signed by the certificate's private key is
 * exchanged for a bearer token, cached until shortly before it expires.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_162790605110.html (the request token)
 */
export class M2MTokenProvider implements Authorizer {
  private cached: { token: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly clock: Clock;
  private readonly key: ReturnType<typeof createPrivateKey>;
  private readonly alg: 'PS256' | 'ES256' | 'ES384' | 'ES512';

  constructor(private readonly opts: M2MOptions) {
    this.clock = opts.clock ?? (() => new Date());
    try {
      // createPrivateKey reads PKCS#8 and PKCS#1 PEM alike; admins paste either.
      this.key = createPrivateKey(opts.privateKeyPem);
    } catch (err) {
      throw new MailroomError('config_invalid', 'the NetSuite private key is not a readable PEM key', {
        cause: err,
        remedy:
          'Set NETSUITE_PRIVATE_KEY (or NETSUITE_PRIVATE_KEY_FILE) to the PEM private key whose certificate you uploaded in OAuth 2.0 Client Credentials (M2M) Setup.',
      });
    }
    this.alg = signingAlgorithm(this.key);
  }

  async authorize(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /**
   * The signed client assertion: header kid = certificate id; iss = client id; scope a comma-separated string
   * ("restlets, rest_webservices, suite_analytics, or all of them, separated by a comma"); aud = the token URL;
   * exp less than 60 minutes after iat. Mailroom asks for REST (SuiteQL, record reads) and RESTlets (saves).
   */
  async assertion(): Promise<string> {
    const iat = Math.floor(this.clock().getTime() / 1000);
    return new SignJWT({ scope: 'rest_webservices,restlets' })
      .setProtectedHeader({ alg: this.alg, typ: 'JWT', kid: this.opts.certificateId })
      .setIssuer(this.opts.clientId)
      .setAudience(this.opts.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 50 * 60)
      .setJti(randomUUID())
      .sign(this.key);
  }

  private async token(): Promise<string> {
    const now = this.clock().getTime();
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    // Callers arriving while a token is being fetched share that one request.
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await this.assertion(),
    });
    let res: Response;
    try {
      res = await this.opts.fetch(this.opts.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
    } catch (err) {
      throw new MailroomError('netsuite_unavailable', `NetSuite token endpoint unreachable: ${String(err)}`, {
        cause: err,
        remedy: 'Mailroom cannot reach NetSuite. Check the network and NETSUITE_BASE_URL; it retries on its own.',
      });
    }
    const text = await res.text();
    if (!res.ok) {
      // The token endpoint answers OAuth errors ({error, error_description}) with 400 or 401: a real auth failure.
      const oauth = parseErrorBody(text) as { error?: string; error_description?: string };
      if (res.status === 400 || res.status === 401) {
        const why = oauth.error_description ?? oauth.error ?? 'rejected';
        return Promise.reject(
          mapNetSuiteError(401, { title: `token request ${why}` }, { what: 'sign-in (M2M token)' }),
        );
      }
      throw mapNetSuiteError(res.status, parseErrorBody(text), { what: 'sign-in (M2M token)' });
    }
    const body = JSON.parse(text) as { access_token?: string; expires_in?: string | number };
    if (!body.access_token) {
      throw new MailroomError('netsuite_error', 'NetSuite token endpoint answered without an access_token', {
        remedy: 'Check that NETSUITE_BASE_URL points at the account’s SuiteTalk host.',
      });
    }
    const lifetime = Number(body.expires_in ?? 3600);
    const skew = this.opts.refreshSkewSeconds ?? 300;
    const refreshAt = this.clock().getTime() + Math.max(0, lifetime - skew) * 1000;
    this.cached = { token: body.access_token, refreshAt };
    return body.access_token;
  }
}
