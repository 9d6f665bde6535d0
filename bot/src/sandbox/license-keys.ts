import { type CryptoKey, exportSPKI, generateKeyPair, SignJWT } from 'jose';

/** A signing key pair for demo license keys. Only the public half (PEM, SPKI) goes into LICENSE_PUBLIC_KEY. */
export interface LicenseKeyPair {
  privateKey: CryptoKey;
  publicKeyPem: string;
}

export interface IssueOptions {
  tenantId: string;
  seats?: number;
  /** When the key was issued; defaults to now. */
  now?: Date;
  /** Days from `now` until it expires (negative for an already expired key). Default 365. */
  validDays?: number;
}

const DAY_MS = 86_400_000;

export async function generateLicenseKeyPair(): Promise<LicenseKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { privateKey, publicKeyPem: await exportSPKI(publicKey) };
}

/** Signs a license key (JWT, EdDSA) carrying the tenant, the seat count and the expiry. */
export async function issueLicenseKey(pair: LicenseKeyPair, opts: IssueOptions): Promise<string> {
  const now = opts.now ?? new Date();
  const exp = Math.floor((now.getTime() + (opts.validDays ?? 365) * DAY_MS) / 1000);
  return new SignJWT({ tid: opts.tenantId, seats: opts.seats ?? 5 })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer('mailroom-sandbox')
    .setSubject(opts.tenantId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(exp)
    .sign(pair.privateKey);
}

/**
 * A fresh key pair and a demo key (5 seats, one year) for the sandbox tenant: set LICENSE_PUBLIC_KEY to
 * `publicKeyPem` and LICENSE_KEY to `key`.
 */
export async function issueDemoLicense(
  tenantId: string,
  opts: Omit<IssueOptions, 'tenantId'> = {},
): Promise<{ key: string; publicKeyPem: string; pair: LicenseKeyPair }> {
  const pair = await generateLicenseKeyPair();
  return { key: await issueLicenseKey(pair, { tenantId, ...opts }), publicKeyPem: pair.publicKeyPem, pair };
}

/** A key that looks right but is signed by a different key pair: what a forger could make. */
export async function issueForgedLicenseKey(opts: IssueOptions): Promise<string> {
  return issueLicenseKey(await generateLicenseKeyPair(), opts);
}
