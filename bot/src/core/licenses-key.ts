import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors, type JWTPayload, jwtVerify } from 'jose';

/** What a license key says, once its signature is checked. */
export type LicenseKeyCheck =
  | { status: 'licensed'; tenantId: string; seats: number; expiresAt: string }
  | { status: 'expired'; tenantId: string; seats: number; expiresAt: string; reason: string }
  | { status: 'invalid'; reason: string };

export type PublicKeyResult = { ok: true; key: KeyObject; algorithms: string[] } | { ok: false; reason: string };

/**
 * Reads LICENSE_PUBLIC_KEY (PEM, SPKI). The key's type decides the accepted algorithms, so a token cannot pick a
 * weaker one in its header (EdDSA/Ed25519 for an Ed25519 key, RS256 for an RSA key).
 */
export function loadLicensePublicKey(pem: string): PublicKeyResult {
  if (pem.trim() === '') {
    return { ok: false, reason: 'LICENSE_PUBLIC_KEY is not set, so no license key can be checked' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    return { ok: false, reason: `LICENSE_PUBLIC_KEY is not a PEM public key (${(err as Error).message})` };
  }
  if (key.asymmetricKeyType === 'ed25519') return { ok: true, key, algorithms: ['EdDSA', 'Ed25519'] };
  if (key.asymmetricKeyType === 'rsa') return { ok: true, key, algorithms: ['RS256'] };
  return { ok: false, reason: `LICENSE_PUBLIC_KEY is a ${key.asymmetricKeyType ?? 'unknown'} key; use Ed25519 or RSA` };
}

function readClaims(payload: JWTPayload): { tenantId: string; seats: number; expiresAt: string } | string {
  const { tid, seats, exp } = payload as { tid?: unknown; seats?: unknown; exp?: unknown };
  if (typeof tid !== 'string' || tid.trim() === '') return 'the license key names no tenant (tid)';
  if (typeof seats !== 'number' || !Number.isInteger(seats) || seats < 0) {
    return 'the license key has no valid seat count (seats)';
  }
  if (typeof exp !== 'number') return 'the license key has no expiry (exp)';
  return { tenantId: tid.trim().toLowerCase(), seats, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Verifies a LICENSE_KEY token against the public key, at `now`. It never throws: a bad key is a status. */
export async function verifyLicenseKey(token: string, publicKey: PublicKeyResult, now: Date): Promise<LicenseKeyCheck> {
  if (!publicKey.ok) return { status: 'invalid', reason: publicKey.reason };
  if (token.trim() === '') return { status: 'invalid', reason: 'the license key is empty' };
  try {
    const { payload } = await jwtVerify(token.trim(), publicKey.key, {
      algorithms: publicKey.algorithms,
      currentDate: now,
      requiredClaims: ['exp'],
    });
    const claims = readClaims(payload);
    return typeof claims === 'string' ? { status: 'invalid', reason: claims } : { status: 'licensed', ...claims };
  } catch (err) {
    if (err instanceof errors.JWTExpired) {
      // The signature was checked before the expiry, so these claims are authentic.
      const claims = readClaims(err.payload);
      if (typeof claims === 'string') return { status: 'invalid', reason: claims };
      return {
        status: 'expired',
        ...claims,
        reason: `the Mailroom license expired on ${claims.expiresAt.slice(0, 10)}`,
      };
    }
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return { status: 'invalid', reason: 'the license key was not signed by the key in LICENSE_PUBLIC_KEY' };
    }
    if (err instanceof errors.JOSEAlgNotAllowed) {
      return {
        status: 'invalid',
        reason: 'the license key is signed with an algorithm LICENSE_PUBLIC_KEY does not allow',
      };
    }
    if (err instanceof errors.JOSEError)
      return { status: 'invalid', reason: `the license key is malformed (${err.code})` };
    throw err;
  }
}
