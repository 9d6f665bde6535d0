import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseService } from '../../../bot/src/core/licenses.js';
import { generateLicenseKeyPair, issueLicenseKey, type LicenseKeyPair } from '../../../bot/src/sandbox/license-keys.js';
import { AuditRepo } from '../../../bot/src/store/repos/audit.js';
import { LicenseRepo } from '../../../bot/src/store/repos/licenses.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const ADMIN = { id: 'aad-admin', name: 'Cy Admin' };
const BO = { id: 'aad-bo', name: 'Bo' };

describe.each(testEngines())('LicenseService on %s', (engine) => {
  let db: TestDb;
  let now: Date;
  let pair: LicenseKeyPair;
  let store: LicenseRepo;
  let audit: AuditRepo;
  const clock = () => now;

  async function service(opts: { seats?: number; tenantId?: string; validDays?: number } = {}) {
    const key = await issueLicenseKey(pair, {
      tenantId: opts.tenantId ?? 't1',
      seats: opts.seats ?? 5,
      now,
      validDays: opts.validDays ?? 30,
    });
    return new LicenseService({ store, audit, publicKeyPem: pair.publicKeyPem, configuredKey: key, clock });
  }

  beforeEach(async () => {
    db = await createTestDb(engine);
    now = new Date('2026-11-22T10:00:00.000Z');
    pair = await generateLicenseKeyPair();
    store = new LicenseRepo(db, clock);
    audit = new AuditRepo(db, clock);
  });
  afterEach(async () => db.drop());

  it('reads the configured key for its tenant, and keeps it per tenant', async () => {
    const licenses = await service({ seats: 5 });
    expect(await licenses.licenseStatus('t1')).toEqual({
      status: 'licensed',
      seats: 5,
      used: 0,
      expiresAt: '2026-12-22T10:00:00.000Z',
    });
    expect((await store.getKey('t1'))?.seats).toBe(5);
    // A tenant the key was not issued for has no license.
    expect(await licenses.licenseStatus('t2')).toMatchObject({
      status: 'invalid',
      reason: 'the license key was issued for another tenant (t1)',
    });
  });

  it('is unlicensed with no key at all', async () => {
    const licenses = new LicenseService({ store, audit, publicKeyPem: pair.publicKeyPem, clock });
    expect(await licenses.licenseStatus('t1')).toEqual({ status: 'unlicensed', seats: 0, used: 0, expiresAt: null });
  });

  it('lets only admins assign seats, audits it, and refuses a full pool with the seat count', async () => {
    const licenses = await service({ seats: 2 });
    await expect(
      licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: BO, isAdmin: false }),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Only a Mailroom admin can run /license assign sales@contoso.com.',
    });

    expect(
      await licenses.assignSeat({ tenantId: 't1', subject: 'Sales@Contoso.com', actor: ADMIN, isAdmin: true }),
    ).toBe('sales@contoso.com now has a Mailroom license (1 of 2 seats in use).');
    expect(
      await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true }),
    ).toBe('sales@contoso.com already has a Mailroom license (1 of 2 seats in use).');
    await licenses.assignSeat({ tenantId: 't1', subject: 'support@contoso.com', actor: ADMIN, isAdmin: true });
    await expect(
      licenses.assignSeat({ tenantId: 't1', subject: 'ana@contoso.com', actor: ADMIN, isAdmin: true }),
    ).rejects.toMatchObject({
      code: 'license_pool_full',
      message: 'All 2 Mailroom seats are in use (2 of 2), so ana@contoso.com cannot get one.',
    });
    const log = await audit.list({ tenantId: 't1', action: 'license_assign' });
    expect(log.entries.map((e) => e.subject)).toEqual(['support@contoso.com', 'sales@contoso.com']);
  });

  it('never hands out more seats than the key holds when admins assign at once', async () => {
    const licenses = await service({ seats: 3 });
    const subjects = Array.from({ length: 8 }, (_, i) => `box${i}@contoso.com`);
    const results = await Promise.allSettled(
      subjects.map((subject) => licenses.assignSeat({ tenantId: 't1', subject, actor: ADMIN, isAdmin: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await store.countSeats('t1')).toBe(3);
  });

  it('refuses autopilot without a seat, saying exactly what to run', async () => {
    const licenses = await service({ seats: 5 });
    for (const s of ['a@contoso.com', 'b@contoso.com', 'c@contoso.com', 'd@contoso.com']) {
      await licenses.assignSeat({ tenantId: 't1', subject: s, actor: ADMIN, isAdmin: true });
    }
    await expect(licenses.requireSeat('t1', 'sales@contoso.com')).rejects.toMatchObject({
      code: 'license_missing',
      message:
        'sales@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign sales@contoso.com (4 of 5 seats in use).',
    });
    await expect(licenses.requireSeat('t1', 'a@contoso.com')).resolves.toBeUndefined();
  });

  it('expires with the clock: autopilot is refused, seats and rules stay', async () => {
    const licenses = await service({ seats: 5, validDays: 30 });
    await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true });
    now = new Date('2026-12-23T10:00:00.000Z');
    expect(await licenses.licenseStatus('t1')).toMatchObject({ status: 'expired', seats: 5, used: 1 });
    await expect(licenses.requireSeat('t1', 'sales@contoso.com')).rejects.toMatchObject({ code: 'license_expired' });
    expect(await licenses.autopilotLicense('t1', 'sales@contoso.com')).toMatchObject({
      status: 'expired',
      seated: true,
    });
  });

  it('frees a seat on unassign (admins only) and audits it', async () => {
    const licenses = await service({ seats: 5 });
    await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true });
    await expect(
      licenses.unassignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: BO, isAdmin: false }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(
      await licenses.unassignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true }),
    ).toContain('no longer has a Mailroom license');
    expect(await store.hasSeat('t1', 'sales@contoso.com')).toBe(false);
    expect((await audit.list({ tenantId: 't1', action: 'license_unassign' })).entries).toHaveLength(1);
  });

  it('installs a renewed key for its tenant and refuses one for another tenant or a forged one', async () => {
    const licenses = new LicenseService({ store, audit, publicKeyPem: pair.publicKeyPem, clock });
    const key = await issueLicenseKey(pair, { tenantId: 't1', seats: 9, now });
    expect((await licenses.installKey('t1', key, ADMIN)).seats).toBe(9);
    await expect(licenses.installKey('t2', key, ADMIN)).rejects.toMatchObject({ code: 'license_invalid' });
    const other = await generateLicenseKeyPair();
    const forged = await issueLicenseKey(other, { tenantId: 't1', seats: 900, now });
    await expect(licenses.installKey('t1', forged, ADMIN)).rejects.toMatchObject({ code: 'license_invalid' });
    expect((await licenses.licenseStatus('t1')).seats).toBe(9);
  });
});
