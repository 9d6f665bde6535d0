import { beforeEach, describe, expect, it } from 'vitest';
import { AutopilotService, type SeatCheck } from '../../../bot/src/core/autopilot.js';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { email } from './fixtures.js';
import { MemoryPorts } from './memory-ports.js';

const ANA = { id: 'aad-ana', name: 'Ana' };
const BO = { id: 'aad-bo', name: 'Bo' };
const SUPPORT = { id: 'mbx-support', address: 'support@contoso.com' };
const ACME = { type: 'customer' as const, id: '101', name: 'Acme' };

/** Seats as the license would hold them: autopilot on a mailbox without one is refused with what to run. */
function seats(held: Set<string>): SeatCheck {
  return {
    requireSeat: async (_tenantId, address) => {
      if (held.has(address)) return;
      throw new MailroomError('license_missing', `${address} has no Mailroom license.`, {
        remedy: `An admin can run /license assign ${address}.`,
      });
    },
  };
}

/** Turning autopilot on and off, each in one unit of work, against in-memory ports: no database. */
describe('autopilot on and off against in-memory ports', () => {
  let ports: MemoryPorts;
  let held: Set<string>;
  let autopilot: AutopilotService;
  beforeEach(() => {
    ports = new MemoryPorts();
    ports.state.mailboxAddresses[SUPPORT.id] = SUPPORT.address;
    // One message in two watched mailboxes: two cards show its rule.
    ports.state.emails.push(email(), email({ id: 'e-2', mailboxId: 'mbx-sales' }));
    held = new Set([SUPPORT.address]);
    autopilot = new AutopilotService({ uow: ports, seats: seats(held), clock: ports.clock });
  });

  const onSupport = { tenantId: 't1', kind: 'mailbox' as const, mailbox: SUPPORT, matchValue: '', targets: [] };
  const jobs = (kind: string) => ports.state.jobs.filter((j) => j.kind === kind).map((j) => j.payload);

  it('turns a mailbox rule on once, audited; the same again changes nothing', async () => {
    const on = await autopilot.turnOnRule({ ...onSupport, owner: ANA });
    expect(on).toMatchObject({ changed: true, message: 'Autopilot is on for support@contoso.com.' });
    const again = await autopilot.turnOnRule({ ...onSupport, owner: BO });
    expect(again).toMatchObject({ changed: false, rule: { id: on.rule.id, ownerName: 'Ana' } });
    expect(again.message).toBe('Autopilot for support@contoso.com is already on (turned on by Ana).');
    expect(ports.state.rules).toHaveLength(1);
    expect(ports.state.audit.map((a) => [a.action, a.subject, a.actor.name])).toEqual([['rule_on', on.rule.id, 'Ana']]);
  });

  it('refuses autopilot without a seat or without a record, and stores nothing', async () => {
    held.clear();
    await expect(autopilot.turnOnRule({ ...onSupport, owner: ANA })).rejects.toMatchObject({
      code: 'license_missing',
    });
    held.add(SUPPORT.address);
    await expect(
      autopilot.turnOnRule({ ...onSupport, kind: 'address', matchValue: 'ana@fabrikam.com', owner: ANA }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(ports.state.rules).toEqual([]);
    expect(ports.state.audit).toEqual([]);
    expect(ports.state.jobs).toEqual([]);
  });

  it('from a card: the rule, this email’s save, its job and both cards’ refreshes commit together', async () => {
    const on = await autopilot.turnOnRule({
      ...onSupport,
      kind: 'address',
      matchValue: 'Ana@Fabrikam.com',
      targets: [ACME],
      owner: ANA,
      applyTo: email(),
    });
    expect(on.rule).toMatchObject({ kind: 'address', matchValue: 'ana@fabrikam.com', targets: [ACME] });
    expect(on.saves?.queued.map((a) => [a.record.id, a.mode, a.ruleId, a.savedBy.name])).toEqual([
      ['101', 'autopilot', on.rule.id, 'Ana'],
    ]);
    expect(jobs(JobKind.save)).toEqual([{ associationId: on.saves?.queued[0]?.id }]);
    expect(jobs(JobKind.updateCard)).toEqual([{ emailId: 'e-1' }, { emailId: 'e-2' }]);

    // Turned on again from the other copy's card: no second save, and the cards still show the rule.
    ports.state.jobs = [];
    const again = await autopilot.turnOnRule({
      ...onSupport,
      kind: 'address',
      matchValue: 'ana@fabrikam.com',
      targets: [ACME],
      owner: BO,
      applyTo: email({ id: 'e-2', mailboxId: 'mbx-sales' }),
    });
    expect(again).toMatchObject({ changed: false, saves: { queued: [], existing: [{ record: { id: '101' } }] } });
    expect(jobs(JobKind.save)).toEqual([]);
    expect(jobs(JobKind.updateCard)).toEqual([{ emailId: 'e-1' }, { emailId: 'e-2' }]);
  });

  it('keeps no rule and no save when the save’s job cannot be queued, so turning it on again works', async () => {
    ports.jobs.refuse = (job) => job.kind === JobKind.save;
    const fromCard = {
      ...onSupport,
      kind: 'thread' as const,
      matchValue: email().conversationId,
      targets: [ACME],
      owner: ANA,
      applyTo: email(),
    };
    await expect(autopilot.turnOnRule(fromCard)).rejects.toThrow(/refused/);
    expect(ports.state.rules).toEqual([]);
    expect(ports.state.associations).toEqual([]);
    expect(ports.state.audit).toEqual([]);
    expect(ports.state.jobs).toEqual([]);

    ports.jobs.refuse = null;
    const on = await autopilot.turnOnRule(fromCard);
    expect(on.changed).toBe(true);
    expect(jobs(JobKind.save)).toHaveLength(1);
  });

  it('lets only the owner or an admin turn a rule off, audited once', async () => {
    const { rule } = await autopilot.turnOnRule({ ...onSupport, owner: ANA });
    await expect(autopilot.turnOffRule(rule, BO, false)).rejects.toMatchObject({
      code: 'rule_not_owner',
      message: 'Autopilot for support@contoso.com was turned on by Ana; only Ana or an admin can turn it off.',
    });
    expect(ports.state.rules[0]?.active).toBe(true);

    const off = await autopilot.turnOffRule(rule, BO, true);
    expect(off).toMatchObject({ changed: true, rule: { active: false, turnedOffBy: 'Bo' } });
    expect((await autopilot.turnOffRule(rule, ANA, false)).message).toBe(
      'Autopilot for support@contoso.com is already off.',
    );
    expect(ports.state.audit.map((a) => [a.action, a.actor.name])).toEqual([
      ['rule_on', 'Ana'],
      ['rule_off', 'Bo'],
    ]);
  });

  it('turns off a mailbox’s rule by its address, and says so when there is none', async () => {
    const off = { tenantId: 't1', mailbox: SUPPORT, actor: ANA, isAdmin: false };
    expect(await autopilot.turnOffMailbox(off)).toEqual({
      rule: null,
      changed: false,
      message: 'Autopilot is not on for support@contoso.com.',
    });
    await autopilot.turnOnRule({ ...onSupport, owner: ANA });
    expect(await autopilot.turnOffMailbox(off)).toMatchObject({
      changed: true,
      message: 'Autopilot for support@contoso.com is off.',
    });
    expect(ports.state.rules.map((r) => r.active)).toEqual([false]);
  });
});
