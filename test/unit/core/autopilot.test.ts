import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutopilotService } from '../../../bot/src/core/autopilot.js';
import { planAutopilot } from '../../../bot/src/core/autopilot-plan.js';
import { LicenseService } from '../../../bot/src/core/licenses.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import {
  generateLicenseKeyPair,
  issueForgedLicenseKey,
  issueLicenseKey,
} from '../../../bot/src/sandbox/license-keys.js';
import { AuditRepo } from '../../../bot/src/store/repos/audit.js';
import { LicenseRepo } from '../../../bot/src/store/repos/licenses.js';
import { RuleRepo } from '../../../bot/src/store/repos/rules.js';
import { StoreUnitOfWork } from '../../../bot/src/store/unit-of-work.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { ACME, email } from './fixtures.js';

const ANA = { id: 'aad-ana', name: 'Ana' };
const BO = { id: 'aad-bo', name: 'Bo' };
const ADMIN = { id: 'aad-admin', name: 'Cy Admin' };
const SALES = { id: 'mbx-sales', address: 'sales@contoso.com' };
const ANA_BOX = { id: 'mbx-ana', address: 'ana@contoso.com' };

describe.each(testEngines())('AutopilotService on %s', (engine) => {
  let db: TestDb;
  let now: Date;
  let rules: RuleRepo;
  let audit: AuditRepo;
  let store: LicenseRepo;

  async function setup(opts: { key?: 'valid' | 'expired' | 'forged' | 'other-tenant'; seats?: number } = {}) {
    const pair = await generateLicenseKeyPair();
    const seats = opts.seats ?? 5;
    const keys = {
      valid: () => issueLicenseKey(pair, { tenantId: 't1', seats, now }),
      expired: () => issueLicenseKey(pair, { tenantId: 't1', seats, now, validDays: -3 }),
      forged: () => issueForgedLicenseKey({ tenantId: 't1', seats, now }),
      'other-tenant': () => issueLicenseKey(pair, { tenantId: 't9', seats, now }),
    };
    const configuredKey = await keys[opts.key ?? 'valid']();
    const licenses = new LicenseService({
      store,
      audit,
      publicKeyPem: pair.publicKeyPem,
      configuredKey,
      clock: () => now,
    });
    const queue = new JobQueue(db, () => now);
    const uow = new StoreUnitOfWork(
      db,
      (trx, afterCommit) => queue.within(trx, afterCommit),
      () => now,
    );
    return { licenses, autopilot: new AutopilotService({ uow, seats: licenses, clock: () => now }) };
  }

  beforeEach(async () => {
    db = await createTestDb(engine);
    now = new Date('2026-11-22T10:00:00.000Z');
    rules = new RuleRepo(db, () => now);
    audit = new AuditRepo(db, () => now);
    store = new LicenseRepo(db, () => now);
    for (const m of [SALES, ANA_BOX]) {
      await db.kysely
        .insertInto('mailboxes')
        .values({
          id: m.id,
          tenant_id: 't1',
          address: m.address,
          graph_user_id: `g-${m.id}`,
          display_name: m.address,
          kind: m === SALES ? 'shared' : 'user',
          channel_conversation_id: null,
          channel_name: null,
          team_id: null,
          watched_by: ANA.id,
          active: 1,
          created_at: now.toISOString(),
          last_notification_at: null,
          last_catchup_at: null,
        })
        .execute();
    }
  });
  afterEach(async () => db.drop());

  const onSales = { tenantId: 't1', kind: 'mailbox' as const, mailbox: SALES, matchValue: '', targets: [], owner: ANA };

  it('refuses autopilot on a mailbox without a seat, and saying what to run', async () => {
    const { autopilot, licenses } = await setup({ seats: 5 });
    await licenses.assignSeat({ tenantId: 't1', subject: 'support@contoso.com', actor: ADMIN, isAdmin: true });
    await expect(autopilot.turnOnRule(onSales)).rejects.toMatchObject({
      code: 'license_missing',
      message:
        'sales@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign sales@contoso.com (1 of 5 seats in use).',
    });
    expect(await rules.listForStatus('t1')).toEqual([]);
  });

  it('turns a mailbox rule on once a seat is assigned, and audits it', async () => {
    const { autopilot, licenses } = await setup();
    await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true });
    const on = await autopilot.turnOnRule(onSales);
    expect(on).toMatchObject({ changed: true, message: 'Autopilot is on for sales@contoso.com.' });
    expect(on.rule).toMatchObject({
      kind: 'mailbox',
      mailboxAddress: 'sales@contoso.com',
      ownerName: 'Ana',
      active: true,
    });
    const again = await autopilot.turnOnRule({ ...onSales, owner: BO });
    expect(again.message).toBe('Autopilot for sales@contoso.com is already on (turned on by Ana).');
    expect((await audit.list({ tenantId: 't1', action: 'rule_on' })).entries).toHaveLength(1);
  });

  it('needs a seat for the person for /autopilot on me', async () => {
    const { autopilot, licenses } = await setup();
    const me = { ...onSales, mailbox: ANA_BOX };
    await expect(autopilot.turnOnRule(me)).rejects.toMatchObject({
      message: expect.stringContaining('ana@contoso.com has no Mailroom license'),
    });
    await licenses.assignSeat({ tenantId: 't1', subject: 'ana@contoso.com', actor: ADMIN, isAdmin: true });
    expect((await autopilot.turnOnRule(me)).changed).toBe(true);
  });

  it('lets only the owner or an admin turn a rule off', async () => {
    const { autopilot, licenses } = await setup();
    await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true });
    const { rule } = await autopilot.turnOnRule(onSales);
    await expect(autopilot.turnOffRule(rule, BO, false)).rejects.toMatchObject({
      code: 'rule_not_owner',
      message: 'Autopilot for sales@contoso.com was turned on by Ana; only Ana or an admin can turn it off.',
    });
    expect((await rules.get('t1', rule.id))?.active).toBe(true);
    const off = await autopilot.turnOffRule(rule, ADMIN, true);
    expect(off.rule).toMatchObject({ active: false, turnedOffBy: 'Cy Admin', turnedOffAt: now.toISOString() });

    const second = await autopilot.turnOnRule(onSales);
    const byOwner = await autopilot.turnOffMailbox({ tenantId: 't1', mailbox: SALES, actor: ANA, isAdmin: false });
    expect(byOwner.message).toBe('Autopilot for sales@contoso.com is off.');
    expect((await rules.get('t1', second.rule.id))?.active).toBe(false);
    expect((await audit.list({ tenantId: 't1', action: 'rule_off' })).entries.map((e) => e.actor.name)).toEqual([
      'Ana',
      'Cy Admin',
    ]);
  });

  it('refuses new rules and pauses existing ones when the key is forged, expired or for another tenant', async () => {
    const why = {
      forged: 'not signed by the key in LICENSE_PUBLIC_KEY',
      expired: 'expired on 2026-11-19',
      'other-tenant': 'issued for another tenant (t9)',
    };
    for (const key of ['forged', 'expired', 'other-tenant'] as const) {
      await db.kysely.deleteFrom('licenses').execute();
      const { autopilot, licenses } = await setup({ key });
      await expect(autopilot.turnOnRule(onSales)).rejects.toMatchObject({
        code: key === 'expired' ? 'license_expired' : 'license_invalid',
      });
      const existing = await rules.create({ ...onSales, mailboxId: SALES.id, targets: [], owner: ANA });
      const mail = email({ mailboxId: SALES.id, to: [{ name: 'Sales', address: 'sales@contoso.com' }] });
      const plan = planAutopilot(
        mail,
        await rules.findMatching('t1', mail),
        await licenses.autopilotLicense('t1', SALES.address),
      );
      expect(plan?.rule.id).toBe(existing.id);
      expect(plan?.paused).toMatch(/^Autopilot is paused: the Mailroom license (expired|key is not valid)/);
      expect(plan?.paused).toContain(why[key]);
      await rules.turnOff('t1', existing.id, ADMIN);
    }
  });

  it('saves by an address rule from the card, with its targets', async () => {
    const { autopilot, licenses } = await setup();
    await licenses.assignSeat({ tenantId: 't1', subject: 'sales@contoso.com', actor: ADMIN, isAdmin: true });
    await expect(
      autopilot.turnOnRule({ ...onSales, kind: 'address', matchValue: 'Ana@Fabrikam.com', targets: [] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await autopilot.turnOnRule({ ...onSales, kind: 'address', matchValue: 'Ana@Fabrikam.com', targets: [ACME] });
    const reply = email({
      mailboxId: SALES.id,
      isOutgoing: true,
      from: { name: 'Sales', address: 'sales@contoso.com' },
      to: [{ name: 'Ana', address: 'ana@fabrikam.com' }],
    });
    const plan = planAutopilot(
      reply,
      await rules.findMatching('t1', reply),
      await licenses.autopilotLicense('t1', SALES.address),
    );
    expect(plan).toMatchObject({ targets: [ACME], rule: { kind: 'address', matchValue: 'ana@fabrikam.com' } });
    expect(plan?.paused).toBeUndefined();
  });
});
