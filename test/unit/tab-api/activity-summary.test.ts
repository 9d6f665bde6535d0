import { describe, expect, it } from 'vitest';
import { summarize } from '../../../bot/src/tab-api/list-activity.js';

describe('an audit row in words', () => {
  it('names the email, the record, the rule and the seats as the actions recorded them', () => {
    const record = { type: 'customer', id: '101', name: 'Fabrikam Inc' };
    expect(summarize('save', 'e1', { record, mode: 'one-time', subjectLine: 'Invoice 4417' }, null)).toBe(
      'saved "Invoice 4417" to customer Fabrikam Inc (one-time)',
    );
    expect(summarize('save', 'e1', { record, mode: 'autopilot' }, 'Re: Invoice 4417')).toBe(
      'saved "Re: Invoice 4417" to customer Fabrikam Inc (by autopilot)',
    );
    expect(summarize('claim', 'e1', {}, 'Printer on fire')).toBe('claimed "Printer on fire"');
    expect(summarize('release', 'e1', {}, null)).toBe('released an email');
    expect(
      summarize(
        'rule_on',
        'r1',
        { kind: 'address', mailbox: 'sales@contoso.com', matchValue: 'cy@tailspin.com' },
        null,
      ),
    ).toBe('turned autopilot on for mail from cy@tailspin.com in sales@contoso.com');
    expect(
      summarize('rule_off', 'r3', { kind: 'mailbox', mailbox: 'sales@contoso.com', owner: 'Alex Wilber' }, null),
    ).toBe("turned off Alex Wilber's autopilot for all mail to sales@contoso.com");
    expect(summarize('license_assign', 'sales@contoso.com', { seats: 5, used: 2 }, null)).toBe(
      'gave sales@contoso.com a license seat (2 of 5 in use)',
    );
    expect(summarize('license_key', 't1', { seats: 10, expiresAt: '2027-06-30T00:00:00.000Z' }, null)).toBe(
      'installed a license key: 10 seats until 2027-06-30',
    );
    expect(summarize('watch', 'support@contoso.com', { channel: 'Support', kind: 'shared' }, null)).toBe(
      'watched support@contoso.com in Support',
    );
    expect(summarize('watch', 'megan@contoso.com', { channel: null, kind: 'user', forAutopilot: true }, null)).toBe(
      'watched megan@contoso.com for autopilot, with no channel cards',
    );
    expect(summarize('something_new', 'x1', {}, null)).toBe('something new x1');
  });
});
