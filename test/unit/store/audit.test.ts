import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../../bot/src/store/repos/audit.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const ANA = { id: 'aad-ana', name: 'Ana' };
const BO = { id: 'aad-bo', name: 'Bo' };

describe.each(testEngines())('AuditRepo on %s', (engine) => {
  let db: TestDb;
  let now: Date;
  let audit: AuditRepo;

  beforeEach(async () => {
    db = await createTestDb(engine);
    now = new Date('2026-11-20T10:00:00.000Z');
    audit = new AuditRepo(db, () => now);
    for (let day = 0; day < 5; day++) {
      now = new Date(Date.UTC(2026, 10, 20 + day, 10));
      await audit.record({ tenantId: 't1', actor: ANA, action: 'claim', subject: `e-${day}`, detail: { day } });
      await audit.record({ tenantId: 't1', actor: BO, action: 'rule_on', subject: `r-${day}` });
    }
    await audit.record({ tenantId: 't2', actor: ANA, action: 'claim', subject: 'other-tenant' });
  });
  afterEach(async () => db.drop());

  it('pages newest first without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.list({ tenantId: 't1', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries.map((e) => e.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(seen.slice(0, 2)).toEqual(['r-4', 'e-4']);
    expect(seen).not.toContain('other-tenant');
  });

  it('filters by action, actor and date range', async () => {
    const claims = await audit.list({ tenantId: 't1', action: 'claim' });
    expect(claims.entries.map((e) => e.subject)).toEqual(['e-4', 'e-3', 'e-2', 'e-1', 'e-0']);
    expect(claims.entries[0]).toMatchObject({ actor: ANA, detail: { day: 4 }, at: '2026-11-24T10:00:00.000Z' });
    const bo = await audit.list({
      tenantId: 't1',
      actorId: BO.id,
      from: '2026-11-21T00:00:00Z',
      to: '2026-11-22T23:59:59Z',
    });
    expect(bo.entries.map((e) => e.subject)).toEqual(['r-2', 'r-1']);
    expect(bo.nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(audit.list({ tenantId: 't1', cursor: 'abc' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
