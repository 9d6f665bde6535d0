import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordRef } from '../../../bot/src/core/ports.js';
import { AssociationRepo, RECENT_SAVES_READ } from '../../../bot/src/store/repos/associations.js';
import { EmailRepo } from '../../../bot/src/store/repos/emails.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { email } from '../core/fixtures.js';

/** The picker's recent records: what a mailbox's team saved to lately, read from a bounded number of saves. */
describe.each(testEngines())('AssociationRepo.recentForMailbox on %s', (engine) => {
  let db: TestDb;
  let emails: EmailRepo;
  let associations: AssociationRepo;
  let n = 0;
  beforeEach(async () => {
    db = await createTestDb(engine);
    emails = new EmailRepo(db);
    associations = new AssociationRepo(db);
    n = 0;
  });
  afterEach(async () => db.drop());

  const customer = (id: string, name = `Customer ${id}`): RecordRef => ({ type: 'customer', id, name });
  /** A save of a new email in `mailbox` to `record`, made `minute` minutes into the day, with its outcome. */
  const save = async (
    record: RecordRef,
    minute: number,
    o: { mailbox?: string; tenant?: string; status?: 'saved' | 'failed' } = {},
  ) => {
    n++;
    const {
      id: _id,
      createdAt: _c,
      ...e
    } = email({
      tenantId: o.tenant ?? 't1',
      mailboxId: o.mailbox ?? 'mbx-support',
      internetMessageId: `<${n}@f>`,
    });
    const { email: stored } = await emails.insertIfNew(e, '2026-11-22T10:00:00.000Z');
    const at = new Date(Date.UTC(2026, 10, 22, 0, minute)).toISOString();
    const { association } = await associations.insertIfNew({
      tenantId: stored.tenantId,
      emailId: stored.id,
      internetMessageId: stored.internetMessageId,
      record,
      savedBy: { id: 'u1', name: 'Adele Vance' },
      mode: 'one-time',
      ruleId: null,
      externalId: `x-${n}`,
      now: at,
    });
    await db.kysely
      .updateTable('associations')
      .set({ status: o.status ?? 'saved' })
      .where('id', '=', association.id)
      .execute();
  };
  const recent = async (limit = 10, mailbox = 'mbx-support') =>
    (await associations.recentForMailbox('t1', mailbox, limit)).map((r) => r.id);

  it("lists the mailbox's records newest save first, each once, leaving out failed saves, other mailboxes and tenants", async () => {
    await save(customer('1'), 1);
    await save(customer('2'), 2);
    await save(customer('1'), 3);
    await save(customer('3'), 4, { status: 'failed' });
    await save(customer('4'), 5, { mailbox: 'mbx-sales' });
    await save(customer('5'), 6, { tenant: 't2' });
    expect(await recent()).toEqual(['1', '2']);
    expect(await recent(1)).toEqual(['1']);
    expect(await recent(10, 'mbx-sales')).toEqual(['4']);
    expect((await associations.recentForMailbox('t1', 'mbx-support', 10))[0]).toEqual(customer('1'));
  });

  it(`reads only the mailbox's last ${RECENT_SAVES_READ} saves, however many it has`, async () => {
    await save(customer('old'), 0);
    for (let i = 1; i < RECENT_SAVES_READ; i++) await save(customer(String(i % 7)), i);
    // The old save is still among the last ones read.
    expect(await recent(10)).toContain('old');
    await save(customer('new'), RECENT_SAVES_READ);
    expect(await recent(10)).toEqual(['new', '3', '2', '1', '0', '6', '5', '4']);
  });
});
