import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleRepo } from '../../../bot/src/store/repos/rules.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { ACME, email } from '../core/fixtures.js';

const ANA = { id: 'aad-ana', name: 'Ana' };

describe.each(testEngines())('RuleRepo on %s', (engine) => {
  let db: TestDb;
  let rules: RuleRepo;
  let tick = 0;

  beforeEach(async () => {
    db = await createTestDb(engine);
    tick = 0;
    // Each rule gets a later creation time, so "oldest first" is observable.
    rules = new RuleRepo(db, () => new Date(Date.UTC(2026, 10, 22, 10, 0, tick++)));
    await db.kysely
      .insertInto('mailboxes')
      .values({
        id: 'mbx-support',
        tenant_id: 't1',
        address: 'support@contoso.com',
        graph_user_id: 'g1',
        display_name: 'Contoso Support',
        kind: 'shared',
        channel_conversation_id: '19:abc@thread.tacv2',
        channel_name: 'Support',
        team_id: 'team-1',
        watched_by: ANA.id,
        active: 1,
        created_at: '2026-11-01T00:00:00.000Z',
        last_notification_at: null,
        last_catchup_at: null,
      })
      .execute();
  });
  afterEach(async () => db.drop());

  const base = { tenantId: 't1', mailboxId: 'mbx-support', owner: ANA, targets: [ACME] };

  it('finds the active rules an email could match, and only those', async () => {
    const thread = await rules.create({ ...base, kind: 'thread', matchValue: 'AAQkAGI2TG93AAA=' });
    const addr = await rules.create({ ...base, kind: 'address', matchValue: 'ana@fabrikam.com' });
    const box = await rules.create({ ...base, kind: 'mailbox', matchValue: '', targets: [] });
    await rules.create({ ...base, kind: 'address', matchValue: 'bo@tailspin.com' });
    await rules.create({ ...base, kind: 'thread', matchValue: 'another-thread' });
    await rules.create({ ...base, mailboxId: 'mbx-sales', kind: 'mailbox', matchValue: '' });
    await rules.create({ ...base, tenantId: 't2', kind: 'mailbox', matchValue: '' });

    const found = await rules.findMatching('t1', email({ cc: [{ name: 'Ana', address: 'ANA@fabrikam.com' }] }));
    expect(found.map((r) => r.id)).toEqual([thread.id, addr.id, box.id]);
    expect(found[0]).toMatchObject({ mailboxAddress: 'support@contoso.com', targets: [ACME], ownerName: 'Ana' });
  });

  it('turns a rule off once, recording who and when, and drops it from the active lists', async () => {
    const r = await rules.create({ ...base, kind: 'address', matchValue: 'ana@fabrikam.com' });
    expect(await rules.turnOff('t2', r.id, ANA)).toBe(false);
    expect(await rules.turnOff('t1', r.id, { id: 'aad-cy', name: 'Cy' })).toBe(true);
    expect(await rules.turnOff('t1', r.id, ANA)).toBe(false);
    expect(await rules.get('t1', r.id)).toMatchObject({ active: false, turnedOffBy: 'Cy' });
    expect(await rules.listActive('t1', 'mbx-support')).toEqual([]);
    expect(await rules.listForStatus('t1')).toEqual([]);
    expect(await rules.findActive('t1', 'mbx-support', 'address', 'ana@fabrikam.com')).toBeNull();
  });

  it('lists rules for status per mailbox, and never across tenants', async () => {
    await rules.create({ ...base, kind: 'mailbox', matchValue: '', targets: [] });
    await rules.create({ ...base, mailboxId: 'mbx-other', kind: 'mailbox', matchValue: '', targets: [] });
    expect(await rules.listForStatus('t1')).toHaveLength(2);
    expect(await rules.listForStatus('t1', { mailboxId: 'mbx-support' })).toHaveLength(1);
    expect(await rules.listForStatus('t2')).toEqual([]);
    expect(await rules.get('t2', (await rules.listForStatus('t1'))[0]?.id ?? '')).toBeNull();
  });
});
