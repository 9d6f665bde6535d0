import { describe, expect, it } from 'vitest';
import { planAutopilot } from '../../../bot/src/core/autopilot-plan.js';
import { matchRules } from '../../../bot/src/core/autopilot-rules.js';
import { ACME, CASE, email, license, rule } from './fixtures.js';

const threadRule = rule({ id: 'r-thread', kind: 'thread', matchValue: 'AAQkAGI2TG93AAA=', targets: [CASE] });
const addressRule = rule({ id: 'r-addr', kind: 'address', matchValue: 'ana@fabrikam.com', targets: [ACME] });
const mailboxRule = rule({ id: 'r-mbx', kind: 'mailbox' });

describe('matchRules', () => {
  it('prefers thread over address over mailbox, whatever order the rules come in', () => {
    expect(matchRules(email(), [mailboxRule, addressRule, threadRule])?.id).toBe('r-thread');
    expect(matchRules(email({ conversationId: 'other' }), [mailboxRule, addressRule, threadRule])?.id).toBe('r-addr');
    const stranger = email({ conversationId: 'other', from: { name: 'Bo', address: 'bo@tailspin.com' } });
    expect(matchRules(stranger, [addressRule, mailboxRule, threadRule])?.id).toBe('r-mbx');
  });

  it('matches an address rule on mail from, to or cc that address, in any letter case', () => {
    const incoming = email({ conversationId: 'x', from: { name: 'Ana', address: 'Ana@Fabrikam.COM' } });
    const outgoing = email({
      conversationId: 'x',
      isOutgoing: true,
      from: { name: 'Contoso Support', address: 'support@contoso.com' },
      to: [{ name: 'Ana', address: 'ana@fabrikam.com' }],
    });
    const copied = email({
      conversationId: 'x',
      from: { name: 'Bo', address: 'bo@fabrikam.com' },
      cc: [{ name: 'Ana', address: 'ANA@fabrikam.com' }],
    });
    for (const e of [incoming, outgoing, copied]) expect(matchRules(e, [addressRule])?.id).toBe('r-addr');
    const unrelated = email({ conversationId: 'x', from: { name: 'Bo', address: 'bo@fabrikam.com' } });
    expect(matchRules(unrelated, [addressRule])).toBeNull();
  });

  it('matches outgoing mail on a thread under autopilot first, and by a mailbox rule too', () => {
    const reply = email({
      isOutgoing: true,
      from: { name: 'Contoso Support', address: 'support@contoso.com' },
      to: [{ name: 'Bo', address: 'bo@tailspin.com' }],
    });
    expect(matchRules(reply, [mailboxRule, threadRule])?.id).toBe('r-thread');
    // A mailbox on autopilot (`/autopilot on me`) files its own replies as well, to the recipient's match.
    expect(matchRules(reply, [mailboxRule])?.id).toBe(mailboxRule.id);
  });

  it('ignores rules that are off or belong to another mailbox', () => {
    expect(matchRules(email(), [rule({ active: false }), rule({ mailboxId: 'mbx-sales' })])).toBeNull();
  });

  it('picks the oldest of two rules of the same kind', () => {
    const newer = rule({ id: 'b', kind: 'address', matchValue: 'ana@fabrikam.com', createdAt: '2026-11-20T00:00:00Z' });
    const older = rule({
      id: 'a2',
      kind: 'address',
      matchValue: 'ana@fabrikam.com',
      createdAt: '2026-11-02T00:00:00Z',
    });
    expect(matchRules(email(), [newer, older])?.id).toBe('a2');
  });
});

describe('planAutopilot', () => {
  it('saves to the rule targets, or to the sender match for a mailbox rule', () => {
    expect(planAutopilot(email(), [addressRule], license())).toEqual({ rule: addressRule, targets: [ACME] });
    expect(planAutopilot(email(), [mailboxRule], license())).toEqual({ rule: mailboxRule, targets: 'sender-match' });
  });

  it('does nothing for drafts or mail no rule matches', () => {
    expect(planAutopilot(email({ isDraft: true }), [mailboxRule], license())).toBeNull();
    expect(planAutopilot(email({ conversationId: 'x' }), [threadRule], license())).toBeNull();
  });

  it('pauses, keeping the rule, when the key expired, is invalid, is missing, or the mailbox lost its seat', () => {
    const expired = planAutopilot(
      email(),
      [addressRule],
      license({ status: 'expired', expiresAt: '2026-10-01T00:00:00.000Z' }),
    );
    expect(expired?.rule.id).toBe('r-addr');
    expect(expired?.paused).toBe(
      'Autopilot is paused: the Mailroom license expired on 2026-10-01. Ask your Mailroom administrator to renew it. The rule is kept, and one-time saves still work.',
    );
    const forged = planAutopilot(email(), [addressRule], license({ status: 'invalid', reason: 'bad signature' }));
    expect(forged?.paused).toContain('license key is not valid (bad signature)');
    expect(planAutopilot(email(), [addressRule], license({ status: 'unlicensed' }))?.paused).toContain(
      'no license key',
    );
    expect(planAutopilot(email(), [mailboxRule], license({ seated: false }))?.paused).toContain(
      'support@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign support@contoso.com.',
    );
  });
});
