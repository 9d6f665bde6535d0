import { describe, expect, it } from 'vitest';
import { CommandVerb } from '../../../../bot/src/teams/actions.js';
import {
  alreadyClaimedCard,
  alreadySavedCard,
  noLicenseCard,
  ruleNotOwnerCard,
} from '../../../../bot/src/teams/cards/answer-cards.js';
import { autopilotStatusCard } from '../../../../bot/src/teams/cards/autopilot-status-card.js';
import { commandHelp, helpCard } from '../../../../bot/src/teams/cards/help-card.js';
import { licenseStatusCard } from '../../../../bot/src/teams/cards/license-status-card.js';
import { moveConfirmCard } from '../../../../bot/src/teams/cards/move-confirm-card.js';
import { noticeCard } from '../../../../bot/src/teams/cards/notice-card.js';
import { unwatchCard } from '../../../../bot/src/teams/cards/unwatch-card.js';
import { watchCard } from '../../../../bot/src/teams/cards/watch-card.js';
import { validateCard } from '../../../helpers/validate-card.js';
import { cardBytes, visibleText } from './read-card.js';

const support = { address: 'support@contoso.com', displayName: 'Contoso Support', kind: 'shared' as const };

function valid(card: object): string[] {
  expect(validateCard(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThan(28 * 1024);
  return visibleText(card);
}

describe('watchCard', () => {
  it('names the mailbox, its kind and the channel, and what happens next', () => {
    const text = valid(watchCard({ mailbox: support, channelName: 'Support inbox', isNew: true }));
    expect(text).toContain('Now watching support@contoso.com');
    expect(text).toContain('Mailbox: Contoso Support (support@contoso.com)');
    expect(text).toContain('Kind: Shared mailbox');
    expect(text).toContain('Posts to: Support inbox');
    expect(text.join(' ')).toContain('appears in Support inbox as a card within seconds');
  });

  it('says so when the mailbox was already watched, and shows a delegate mailbox as such', () => {
    const text = valid(watchCard({ mailbox: { ...support, kind: 'delegate' }, channelName: 'General', isNew: false }));
    expect(text).toContain('Already watching support@contoso.com');
    expect(text).toContain('Kind: Delegate mailbox');
  });
});

describe('moveConfirmCard', () => {
  it('asks before moving, with one button that names the channel it acts on', () => {
    const card = moveConfirmCard({ address: 'support@contoso.com', from: 'Support', to: 'Sales_*', channel: '19:x' });
    const text = valid(card).join(' ');
    expect(text).toContain('Move support@contoso.com here?');
    expect(text).toContain('To leave it in Support, do nothing.');
    expect((card as { actions: unknown[] }).actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: CommandVerb.moveMailbox,
        title: 'Move to Sales_*',
        data: { address: 'support@contoso.com', channel: '19:x' },
      }),
    ]);
  });

  it('says first that another watch just put the mailbox elsewhere, by whom, and that nothing changed', () => {
    const input = { address: 'support@contoso.com', from: 'Sales', to: 'Support', channel: '19:x' };
    const text = valid(moveConfirmCard({ ...input, overtakenBy: 'Alex *Wilber*' }));
    expect(text[0]).toBe('support@contoso.com was just set up in Sales');
    expect(text[1]).toMatch(
      /^Alex \*Wilber\* watched support@contoso.com from Sales while your \/watch was on its way/,
    );
    expect(text[1]).toContain('nothing changed here. To move it here, use the button below.');
    expect(text[2]).toBe('To leave it in Sales, do nothing.');
    expect(valid(moveConfirmCard({ ...input, overtakenBy: '' }))[1]).toMatch(/^Someone else watched/);
  });

  it('says that the owner just watched it for autopilot, with no channel, when that overtook the /watch', () => {
    const input = { address: 'megan@contoso.com', from: 'no channel', to: 'Support', channel: '19:x' };
    const text = valid(moveConfirmCard({ ...input, overtakenBy: 'Megan *Bowen*', fromNoChannel: true }));
    expect(text[0]).toBe('megan@contoso.com was just watched for autopilot');
    expect(text[1]).toMatch(/^Megan \*Bowen\* turned on autopilot for megan@contoso.com, with no channel cards, while/);
    expect(text[1]).toContain('nothing changed here. To get its cards here, use the button below.');
    expect(text[2]).toBe('To leave it without channel cards, do nothing.');
    expect(text.join(' ')).not.toContain('no channel,');
  });
});

describe('unwatchCard', () => {
  it('says what stops', () => {
    const text = valid(unwatchCard({ mailbox: support, channelName: 'General' }));
    expect(text).toContain('Stopped watching support@contoso.com');
    expect(text.join(' ')).toContain('no longer appears in General');
  });
});

describe('helpCard', () => {
  it('lists only the commands given, each with usage and an example', () => {
    const text = valid(helpCard([commandHelp.watch, commandHelp.help]));
    expect(text).toContain('/watch <mailbox or me>');
    expect(text).toContain('Example: /watch support@contoso.com');
    expect(text.join('\n')).not.toContain('/autopilot');
    expect(text.join('\n')).not.toContain('/license');
  });

  it('is valid with every command, and with none', () => {
    valid(helpCard(Object.values(commandHelp)));
    expect(valid(helpCard([]))).toContain('No commands are available here.');
  });
});

describe('noticeCard', () => {
  it.each(['info', 'warning', 'error'] as const)('%s tone is valid and says what to do next', (tone) => {
    const text = valid(
      noticeCard({
        title: 'Mailbox not found',
        text: 'There is no mailbox nobody@contoso.com.',
        remedy: 'Check the spelling.',
        tone,
      }),
    );
    expect(text).toEqual([
      'Mailbox not found',
      'There is no mailbox nobody@contoso.com.',
      'What to do: Check the spelling.',
    ]);
  });

  it('echoes what a person typed literally', () => {
    const text = valid(
      noticeCard({ title: 'Unknown mailbox', text: 'No mailbox [x](https://evil.example) **y**', tone: 'error' }),
    );
    expect(text).toContain('No mailbox [x](https://evil.example) **y**');
  });
});

describe('answer cards', () => {
  it('say the fixed words', () => {
    expect(valid(alreadyClaimedCard('Ana'))[0]).toBe('Already claimed by Ana');
    expect(valid(alreadySavedCard({ recordName: 'ACME Corp', recordType: 'customer', savedByName: 'Ana' }))[0]).toBe(
      'Already saved to ACME Corp (Customer) by Ana',
    );
    expect(valid(ruleNotOwnerCard({ target: 'sales@contoso.com', ownerName: 'Ana' }))).toContain(
      'Autopilot for sales@contoso.com was turned on by Ana; only Ana or an admin can turn it off.',
    );
    expect(valid(noLicenseCard({ mailbox: 'sales@contoso.com', used: 4, seats: 5 }))).toContain(
      'sales@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign sales@contoso.com (4 of 5 seats in use).',
    );
  });
});

describe('autopilotStatusCard', () => {
  const rules = [
    {
      kind: 'address' as const,
      match: 'ana@fabrikam.com',
      mailbox: 'support@contoso.com',
      targets: [{ recordType: 'customer' as const, recordName: 'ACME Corp' }],
      ownerName: 'Ana',
      createdAt: '2025-01-14T10:32:00Z',
    },
    {
      kind: 'mailbox' as const,
      match: 'sales@contoso.com',
      mailbox: 'sales@contoso.com',
      targets: [],
      ownerName: 'Bo',
      createdAt: '2025-02-01T08:00:00Z',
    },
  ];

  it('lists kind, match, targets, owner and creation date', () => {
    const text = valid(autopilotStatusCard(rules));
    expect(text).toContain('Sender: ana@fabrikam.com');
    expect(text).toContain('Saves to: ACME Corp (Customer)');
    expect(text).toContain('Owner: Ana');
    expect(text).toContain('Created: 14 Jan 2025');
    expect(text).toContain('Whole mailbox: sales@contoso.com');
  });

  it('with no rules, says how to turn one on; when paused, says why', () => {
    expect(valid(autopilotStatusCard([], { mailbox: 'sales@contoso.com' })).join(' ')).toContain(
      'No autopilot rules for sales@contoso.com.',
    );
    expect(valid(autopilotStatusCard(rules, { pausedReason: 'The license key expired.' })).join(' ')).toContain(
      'Autopilot is paused: The license key expired.',
    );
  });

  it('stays small with many rules', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...rules[0], match: `p${i}@fabrikam.com` })) as typeof rules;
    expect(valid(autopilotStatusCard(many)).join(' ')).toContain('…and 475 more.');
  });
});

describe('licenseStatusCard', () => {
  it('shows seats, expiry and who holds a seat', () => {
    const text = valid(
      licenseStatusCard({
        seats: 5,
        used: 2,
        expiresAt: '2026-01-14T00:00:00Z',
        status: 'valid',
        assigned: ['sales@contoso.com', 'ana@contoso.com'],
      }),
    );
    expect(text).toContain('Seats: 2 of 5 in use');
    expect(text).toContain('Expires: 14 Jan 2026');
    expect(text).toContain('sales@contoso.com, ana@contoso.com');
  });

  it.each(['expired', 'invalid', 'missing'] as const)(
    'a %s key says autopilot is affected and what to do',
    (status) => {
      const text = valid(licenseStatusCard({ seats: 0, used: 0, expiresAt: null, status, assigned: [] }));
      expect(text.join(' ')).toMatch(/Ask a Mailroom admin/);
      expect(text).toContain('None yet.');
    },
  );
});
