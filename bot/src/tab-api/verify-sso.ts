import { createRemoteJWKSet, customFetch, decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import { MailroomError } from '../core/errors.js';
import type { TabIdentity } from './identity.js';

export const DEFAULT_OPENID_METADATA_URL =
  'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';

export interface SsoVerifierOptions {
  /** The tab's Entra app (client) id: a v2.0 token's `aud`. */
  clientId: string;
  /** The one tenant served (config.tenantId): only its tokens are accepted, whatever tenant a token claims. */
  tenantId: string;
  openIdMetadataUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface SsoVerifier {
  /** Accepts the raw token or an `Authorization` header value (`Bearer …`). Throws MailroomError 'unauthorized'. */
  verify(bearer: string | undefined): Promise<TabIdentity>;
}

const SCOPE = 'access_as_user';

function unauthorized(message: string, cause?: unknown): MailroomError {
  return new MailroomError('unauthorized', message, {
    status: 401,
    remedy: 'Open the Dashboard tab from Teams again so it gets a fresh sign-in token.',
    cause,
  });
}

/**
 * Validates a Teams tab SSO token as Microsoft documents for v2.0 access tokens: signature against the issuer's
 * published keys, `tid` = the served tenant and `iss` = https://login.microsoftonline.com/{that tenant}/v2.0,
 * `aud` = the client id, the `access_as_user` scope, and expiry. The person is `oid`; `name` and
 * `preferred_username` are shown, never trusted. A v2.0 token's audience is the client id (GUID); the `api://…` application ID URI appears only
 * in v1.0 tokens, which this issuer check refuses anyway, so it is not accepted.
 * https://learn.microsoft.com/entra/identity-platform/claims-validation#validate-the-audience
 * https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code
 */
export function createSsoVerifier(opts: SsoVerifierOptions): SsoVerifier {
  const doFetch = opts.fetch ?? fetch;
  const metadataUrl = opts.openIdMetadataUrl || DEFAULT_OPENID_METADATA_URL;
  const served = opts.tenantId.trim().toLowerCase();
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  async function loadJwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const res = await doFetch(metadataUrl);
    if (!res.ok) throw new Error(`OpenID metadata ${metadataUrl} answered ${res.status}`);
    const meta = (await res.json()) as { jwks_uri?: unknown };
    if (typeof meta.jwks_uri !== 'string') throw new Error(`OpenID metadata ${metadataUrl} has no jwks_uri`);
    return createRemoteJWKSet(new URL(meta.jwks_uri), { [customFetch]: doFetch });
  }

  function keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (!jwks) {
      jwks = loadJwks();
      // A failed metadata fetch is retried on the next request instead of being cached for the process lifetime.
      jwks.catch(() => {
        jwks = undefined;
      });
    }
    return jwks;
  }

  return {
    async verify(bearer) {
      if (!opts.clientId) throw unauthorized('The dashboard is not configured: TAB_CLIENT_ID is empty.');
      if (!served) throw unauthorized('The dashboard is not configured: GRAPH_TENANT_ID is empty.');
      const token = bearer?.replace(/^Bearer\s+/i, '').trim();
      if (!token) throw unauthorized('Sign-in required: the request has no Bearer token.');
      let unverified: JWTPayload;
      try {
        unverified = decodeJwt(token);
      } catch (err) {
        throw unauthorized('The sign-in token is not a JWT.', err);
      }
      const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
      if (tid === '') throw unauthorized('The sign-in token has no tenant (tid).');
      // Before any key is fetched: a token from another organization is refused whatever its signature.
      if (tid !== served) {
        throw new MailroomError('wrong_tenant', 'The sign-in token is from another Microsoft 365 organization.', {
          status: 403,
          remedy: 'Sign in with an account of the organization this Mailroom serves.',
        });
      }

      let jwkSet: ReturnType<typeof createRemoteJWKSet>;
      try {
        jwkSet = await keys();
      } catch (err) {
        throw unauthorized('The sign-in keys could not be loaded; try again in a minute.', err);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwkSet, {
          // The issuer is built from the served tenant, never from the token's own claim.
          issuer: `https://login.microsoftonline.com/${served}/v2.0`,
          audience: opts.clientId,
          algorithms: ['RS256'],
          clockTolerance: 60,
          requiredClaims: ['exp', 'oid', 'tid'],
          ...(opts.now ? { currentDate: opts.now() } : {}),
        }));
      } catch (err) {
        throw unauthorized(describe(err), err);
      }
      const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
      if (!scopes.includes(SCOPE)) throw unauthorized(`The sign-in token lacks the ${SCOPE} scope.`);
      const str = (v: unknown): string => (typeof v === 'string' ? v : '');
      const oid = str(payload.oid);
      if (oid === '' || str(payload.tid).toLowerCase() !== served)
        throw unauthorized('The sign-in token names no user.');
      return {
        oid,
        tid: served,
        name: str(payload.name),
        upn: str(payload.preferred_username) || str(payload.upn),
      };
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The sign-in token has expired.';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'The sign-in token was issued for another app (audience).';
    if (err.claim === 'iss') return 'The sign-in token was not issued by Microsoft Entra ID for its tenant (issuer).';
    return `The sign-in token has an invalid ${err.claim} claim.`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return 'The sign-in token signature does not match the issuer keys.';
  }
  return 'The sign-in token is not valid.';
}
