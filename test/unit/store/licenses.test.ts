import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseRepo } from '../../../bot/src/store/repos/licenses.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

describe.each(testEngines())('LicenseRepo on %s', (engine) => {
  let db: TestDb;
  let repo: LicenseRepo;

  beforeEach(async () => {
    db = await createTestDb(engine);
    repo = new LicenseRepo(db, () => new Date('2026-11-22T10:00:00.000Z'));
  });
  afterEach(async () => db.drop());

  it('keeps one key per tenant, replacing it on renewal', async () => {
    await repo.saveKey('t1', { key: 'k1', seats: 5, expiresAt: '2027-01-01T00:00:00.000Z' });
    await repo.saveKey('t1', { key: 'k2', seats: 8, expiresAt: '2028-01-01T00:00:00.000Z' });
    expect(await repo.getKey('t1')).toMatchObject({ key: 'k2', seats: 8 });
    expect(await repo.getKey('t2')).toBeNull();
  });

  it('holds a seat once per subject, in any letter case, and counts per tenant', async () => {
    const by = { assignedBy: 'Cy' };
    expect(await repo.assignSeat('t1', { subject: 'Sales@Contoso.com', ...by }, 5)).toBe('assigned');
    expect(await repo.assignSeat('t1', { subject: 'sales@contoso.com', ...by }, 5)).toBe('already');
    expect(await repo.assignSeat('t2', { subject: 'sales@contoso.com', ...by }, 5)).toBe('assigned');
    expect(await repo.assignSeat('t1', { subject: 'support@contoso.com', ...by }, 1)).toBe('full');
    expect(await repo.countSeats('t1')).toBe(1);
    expect(await repo.hasSeat('t1', 'SALES@contoso.com')).toBe(true);
    expect((await repo.listSeats('t1')).map((s) => s.subject)).toEqual(['sales@contoso.com']);
    expect(await repo.unassignSeat('t1', 'sales@contoso.com')).toBe(true);
    expect(await repo.unassignSeat('t1', 'sales@contoso.com')).toBe(false);
    expect(await repo.hasSeat('t2', 'sales@contoso.com')).toBe(true);
  });
});
