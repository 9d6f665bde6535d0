import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadLicensePublicKey, verifyLicenseKey } from '../../../bot/src/core/licenses-key.js';
import {
  generateLicenseKeyPair,
  issueForgedLicenseKey,
  issueLicenseKey,
} from '../../../bot/src/sandbox/license-keys.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');

describe('verifyLicenseKey', () => {
  it('reads tenant, seats and expiry from a key signed with the configured Ed25519 key', async () => {
    const pair = await generateLicenseKeyPair();
    const key = await issueLicenseKey(pair, { tenantId: 'T1', seats: 5, now: NOW, validDays: 365 });
    expect(await verifyLicenseKey(key, loadLicensePublicKey(pair.publicKeyPem), NOW)).toEqual({
      status: 'licensed',
      tenantId: 't1',
      seats: 5,
      expiresAt: '2027-11-22T10:00:00.000Z',
    });
  });

  it('accepts an RS256 key signed by an RSA key pair', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await new SignJWT({ tid: 't1', seats: 3 })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime(Math.floor(NOW.getTime() / 1000) + 3600)
      .sign(privateKey);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await verifyLicenseKey(key, loadLicensePublicKey(pem), NOW)).toMatchObject({ status: 'licensed', seats: 3 });
  });

  it('reports an expired key as expired, with its date', async () => {
    const pair = await generateLicenseKeyPair();
    const key = await issueLicenseKey(pair, { tenantId: 't1', now: NOW, validDays: -1 });
    expect(await verifyLicenseKey(key, loadLicensePublicKey(pair.publicKeyPem), NOW)).toMatchObject({
      status: 'expired',
      seats: 5,
      reason: 'the Mailroom license expired on 2026-11-21',
    });
  });

  it('rejects a forged key, signed by another key pair', async () => {
    const pair = await generateLicenseKeyPair();
    const forged = await issueForgedLicenseKey({ tenantId: 't1', seats: 500, now: NOW });
    expect(await verifyLicenseKey(forged, loadLicensePublicKey(pair.publicKeyPem), NOW)).toEqual({
      status: 'invalid',
      reason: 'the license key was not signed by the key in LICENSE_PUBLIC_KEY',
    });
  });

  it('rejects a token with the seats claim missing, garbage, and a missing public key', async () => {
    const pair = await generateLicenseKeyPair();
    const noSeats = await new SignJWT({ tid: 't1' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setExpirationTime('1y')
      .sign(pair.privateKey);
    const pk = loadLicensePublicKey(pair.publicKeyPem);
    expect(await verifyLicenseKey(noSeats, pk, NOW)).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('seat'),
    });
    expect(await verifyLicenseKey('not-a-jwt', pk, NOW)).toMatchObject({ status: 'invalid' });
    expect(await verifyLicenseKey('x.y.z', loadLicensePublicKey(''), NOW)).toEqual({
      status: 'invalid',
      reason: 'LICENSE_PUBLIC_KEY is not set, so no license key can be checked',
    });
    expect(loadLicensePublicKey('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----')).toMatchObject({
      ok: false,
    });
  });
});
