import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Email } from '../../../bot/src/core/email.js';
import { EmailRepo } from '../../../bot/src/store/repos/emails.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { email } from '../core/fixtures.js';

/** The cards a rule change re-renders: a mailbox's carded emails, narrowed by thread or party. */
describe.each(testEngines())('EmailRepo.withCards on %s', (engine) => {
  let db: TestDb;
  let emails: EmailRepo;
  beforeEach(async () => {
    db = await createTestDb(engine);
    emails = new EmailRepo(db);
  });
  afterEach(async () => db.drop());

  /** Stores an email and, unless `carded` is false, the card posted for it. */
  const add = async (over: Partial<Email>, carded = true) => {
    const { id: _id, createdAt: _c, ...e } = email(over);
    const { email: stored } = await emails.insertIfNew(e, '2026-11-22T10:00:00.000Z');
    if (carded) {
      await db.kysely
        .insertInto('cards')
        .values({
          tenant_id: stored.tenantId,
          email_id: stored.id,
          teams_conversation_id: '19:abc@thread.tacv2',
          activity_id: `a-${stored.id}`,
          posted_at: '2026-11-22T10:00:01.000Z',
        })
        .execute();
    }
    return stored.id;
  };
  const subjects = async (narrow: { conversationId?: string; party?: string }, limit = 10, tenant = 't1') =>
    (await emails.withCards(tenant, 'mbx-support', narrow, limit)).map((e) => e.subject);

  it('finds carded emails of one thread, or where one address takes part in any direction, newest first', async () => {
    await add({ internetMessageId: '<1@f>', subject: 'from ana', receivedAt: '2026-11-22T09:00:00Z' });
    await add({
      internetMessageId: '<2@f>',
      subject: 'cc ana',
      from: { name: 'Bo', address: 'bo@northwind.com' },
      cc: [{ name: 'Ana', address: 'Ana@Fabrikam.com' }],
      receivedAt: '2026-11-22T09:05:00Z',
    });
    await add({
      internetMessageId: '<3@f>',
      subject: 'look-alike',
      from: { name: 'X', address: 'anaxfabrikam.com@evil.test' },
      conversationId: 'other-thread',
      receivedAt: '2026-11-22T09:10:00Z',
    });
    await add({ internetMessageId: '<4@f>', subject: 'no card', receivedAt: '2026-11-22T09:15:00Z' }, false);
    await add({ internetMessageId: '<5@f>', subject: 'elsewhere', tenantId: 't2', receivedAt: '2026-11-22T09:20:00Z' });

    expect(await subjects({ party: 'ana@fabrikam.com' })).toEqual(['cc ana', 'from ana']);
    // LIKE's wildcards in an address match only themselves.
    expect(await subjects({ party: 'ana_fabrikam.com' })).toEqual([]);
    expect(await subjects({ party: '%' })).toEqual([]);
    expect(await subjects({ conversationId: 'other-thread' })).toEqual(['look-alike']);
    expect(await subjects({})).toEqual(['look-alike', 'cc ana', 'from ana']);
    expect(await subjects({}, 2)).toEqual(['look-alike', 'cc ana']);
    expect(await subjects({}, 10, 't2')).toEqual(['elsewhere']);
  });
});
