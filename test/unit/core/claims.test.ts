import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimService } from '../../../bot/src/core/claims.js';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { AuditRepo } from '../../../bot/src/store/repos/audit.js';
import { ClaimRepo } from '../../../bot/src/store/repos/claims.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const ANA = { id: 'aad-ana', name: 'Ana' };
const BO = { id: 'aad-bo', name: 'Bo' };
const ADMIN = { id: 'aad-admin', name: 'Cy Admin' };

describe.each(testEngines())('claims on %s', (engine) => {
  let db: TestDb;
  let claims: ClaimRepo;
  let audit: AuditRepo;
  let service: ClaimService;
  const clock = () => new Date('2026-11-22T10:00:00.000Z');

  beforeEach(async () => {
    db = await createTestDb(engine);
    claims = new ClaimRepo(db, clock);
    audit = new AuditRepo(db, clock);
    service = new ClaimService({ claims, audit });
  });
  afterEach(async () => db.drop());

  it('gives two claims at the same moment one winner, and tells the other who holds it', async () => {
    const [a, b] = await Promise.all([
      service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA }),
      service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: BO }),
    ]);
    const outcomes = [a, b];
    const winners = outcomes.filter((o) => o.won);
    const losers = outcomes.filter((o) => !o.won);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const holder = winners[0]?.won ? winners[0].claim.userName : '';
    expect(losers[0]?.message).toBe(`Already claimed by ${holder}`);
    expect(winners[0]?.message).toBe(`Claimed by ${holder} · replying privately`);
    expect((await claims.get('t1', 'e-1'))?.userName).toBe(holder);
    const log = await audit.list({ tenantId: 't1', action: 'claim' });
    expect(log.entries).toHaveLength(1);
  });

  it('lets many people race and still keeps one owner', async () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ id: `aad-${i}`, name: `Agent ${i}` }));
    const outcomes = await Promise.all(
      people.map((user) => service.claimEmail({ tenantId: 't1', emailId: 'e-9', user })),
    );
    expect(outcomes.filter((o) => o.won)).toHaveLength(1);
  });

  it('treats a second click by the holder as the same claim', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    const again = await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    expect(again.won).toBe(true);
  });

  it('keeps the claimer’s Teams MRI, and teaches a claim stored without one only its own claimer’s', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: { ...ANA, mri: '29:ana' } });
    expect((await claims.get('t1', 'e-1'))?.userMri).toBe('29:ana');

    // A claim from before Mailroom kept MRIs (the migration leaves it null).
    await service.claimEmail({ tenantId: 't1', emailId: 'e-2', user: ANA });
    expect((await claims.get('t1', 'e-2'))?.userMri).toBeNull();
    await service.claimerSeen({ tenantId: 't1', emailId: 'e-2', user: { ...BO, mri: '29:bo' } });
    expect((await claims.get('t1', 'e-2'))?.userMri).toBeNull();
    await service.claimerSeen({ tenantId: 't2', emailId: 'e-2', user: { ...ANA, mri: '29:ana' } });
    expect((await claims.get('t1', 'e-2'))?.userMri).toBeNull();
    const seen = await service.claimerSeen({ tenantId: 't1', emailId: 'e-2', user: { ...ANA, mri: '29:ana' } });
    expect(seen?.userMri).toBe('29:ana');
    expect((await claims.get('t1', 'e-2'))?.userMri).toBe('29:ana');
    // Once known, it is not overwritten.
    expect(await claims.rememberMri('t1', 'e-2', ANA.id, '29:other')).toBe(false);
  });

  it('refuses a release by someone else, naming the holder', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    const attempt = service.releaseEmail({ tenantId: 't1', emailId: 'e-1', user: BO, isAdmin: false });
    await expect(attempt).rejects.toBeInstanceOf(MailroomError);
    await expect(attempt).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Claimed by Ana; only Ana or a Mailroom admin can release it.',
    });
    expect((await claims.get('t1', 'e-1'))?.userId).toBe(ANA.id);
  });

  it('lets the claimer or an admin release, and then anyone can claim again', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    const byAdmin = await service.releaseEmail({ tenantId: 't1', emailId: 'e-1', user: ADMIN, isAdmin: true });
    expect(byAdmin.released).toBe(true);
    expect((await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: BO })).won).toBe(true);
    expect((await service.releaseEmail({ tenantId: 't1', emailId: 'e-1', user: BO, isAdmin: false })).released).toBe(
      true,
    );
    expect(await claims.listOpen('t1')).toEqual([]);
    const log = await audit.list({ tenantId: 't1', action: 'release' });
    expect(log.entries.map((e) => [e.actor.name, e.detail?.byAdmin])).toEqual([
      ['Bo', false],
      ['Cy Admin', true],
    ]);
  });

  it('keeps tenants apart', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    expect(await claims.get('t2', 'e-1')).toBeNull();
    expect(await claims.listOpen('t2')).toEqual([]);
    expect(await claims.release('t2', 'e-1')).toBe(false);
    expect(await claims.get('t1', 'e-1')).not.toBeNull();
  });
});
