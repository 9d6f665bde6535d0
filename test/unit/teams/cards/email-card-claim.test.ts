import { describe, expect, it } from 'vitest';
import { Verb } from '../../../../bot/src/teams/actions.js';
import { emailCard } from '../../../../bot/src/teams/cards/email-card.js';
import type { EmailCardView } from '../../../../bot/src/teams/cards/email-card-view.js';
import { validateCard } from '../../../helpers/validate-card.js';
import { association, emailView } from './email-view.js';
import { action, actions, cardBytes, input, visibleText } from './read-card.js';

const claim = { userId: 'aad-ana', userName: 'Ana', claimedAt: '2025-01-14T10:40:00Z', userMri: '29:1ana-mri' };
const claimed = emailView({ claim });

describe('emailCard: claim and autopilot states pass the renderer checks', () => {
  const states: Array<[string, EmailCardView, { userId: string } | undefined]> = [
    ['claimed, seen by others', claimed, { userId: 'aad-bo' }],
    ['claimed, seen by the claimer', claimed, { userId: 'aad-ana' }],
    ['claimed, seen by nobody in particular', claimed, undefined],
    ['autopilot on', emailView({ autopilot: { state: 'on', ruleKind: 'address', ownerName: 'Ana' } }), undefined],
    ['autopilot paused', emailView({ autopilot: { state: 'paused', reason: 'The license key expired.' } }), undefined],
    [
      'autopilot saved',
      emailView({ associations: [association({ mode: 'autopilot', ruleOwnerName: 'Ana' })] }),
      undefined,
    ],
    ['no match note', emailView({ autopilotNote: 'No NetSuite match, save it by hand' }), undefined],
  ];
  it.each(states)('%s', (_name, view, viewer) => {
    const card = emailCard(view, viewer);
    expect(validateCard(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
  });
});

describe('emailCard: claim', () => {
  it('an open email offers Claim', () => {
    expect(action(emailCard(emailView()), 'Claim')).toMatchObject({ verb: Verb.claim, data: { emailId: 'em_01J9Z6' } });
  });

  it('everyone reads who claimed it, and nobody else gets a Claim or Release button', () => {
    const card = emailCard(claimed, { userId: 'aad-bo' });
    expect(visibleText(card)).toContain('Claimed by Ana · replying privately');
    expect(actions(card).some((a) => a.verb === 'claim' || a.verb === 'release')).toBe(false);
    expect(action(card, 'Reply in Outlook')).toBeUndefined();
    // Others can still save it.
    expect(action(card, 'Save to NetSuite')).toBeDefined();
  });

  it('the claimer gets Release, Reply in Outlook and the private-reply guidance', () => {
    const card = emailCard(claimed, { userId: 'aad-ana' });
    const text = visibleText(card).join('\n');
    expect(text).toContain('Claimed by Ana · replying privately');
    expect(text).toContain('Reply from your own address');
    expect(text).toContain('Do not CC support@contoso.com');
    expect(text).toContain('on autopilot in your own mailbox with /autopilot on me');
    expect(text).toContain('it covers all your mail');
    expect(action(card, 'Release')).toMatchObject({ verb: Verb.release, data: { emailId: 'em_01J9Z6' } });
    expect(action(card, 'Reply in Outlook')?.url).toBe(claimed.email.webLink);
    expect(action(card, 'Claim')).toBeUndefined();
  });

  it('a claimed card asks only the claimer, by Teams user id (MRI), to refresh into their own view', () => {
    const card = emailCard(claimed);
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: Verb.refresh, data: { emailId: 'em_01J9Z6' } },
      userIds: ['29:1ana-mri'],
    });
    // An answer to one viewer's click carries none, the claimer's own view above all: teams-ai would otherwise
    // update everyone's card with it.
    expect(emailCard(claimed, { userId: 'aad-ana' }).refresh).toBeUndefined();
    expect(emailCard(claimed, { userId: 'aad-bo' }).refresh).toBeUndefined();
    expect(emailCard(emailView()).refresh).toBeUndefined();
  });

  it('a claim stored without an MRI refreshes nobody automatically (no AAD id in userIds, and not everyone)', () => {
    const card = emailCard(emailView({ claim: { ...claim, userMri: null } }));
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: Verb.refresh, data: { emailId: 'em_01J9Z6' } },
      userIds: [],
    });
    expect(validateCard(card)).toEqual([]);
  });
});

describe('emailCard: autopilot', () => {
  it('an email without a rule offers This sender / This thread and Turn on autopilot', () => {
    const card = emailCard(emailView());
    const kind = input(card, 'autopilotKind');
    expect(kind?.choices).toEqual([
      { title: 'This sender', value: 'sender' },
      { title: 'This thread', value: 'thread' },
    ]);
    expect(action(card, 'Turn on autopilot')).toMatchObject({ verb: Verb.autopilot, data: { emailId: 'em_01J9Z6' } });
  });

  it('with a rule on, says whose rule it is and offers no second one', () => {
    const card = emailCard(emailView({ autopilot: { state: 'on', ruleKind: 'thread', ownerName: 'Ana' } }));
    expect(visibleText(card)).toContain(
      'Autopilot is on for this thread (rule by Ana; its owner, a team owner or an admin can turn it off in the Dashboard tab)',
    );
    expect(input(card, 'autopilotKind')).toBeUndefined();
  });

  it('paused autopilot says why', () => {
    const card = emailCard(
      emailView({ autopilot: { state: 'paused', reason: 'The Mailroom license key has expired.' } }),
    );
    expect(visibleText(card)).toContain('Autopilot is paused: The Mailroom license key has expired.');
    // The license service's reasons already begin with the words; the card says them once.
    const again = emailCard(
      emailView({
        autopilot: { state: 'paused', reason: 'Autopilot is paused: sales@contoso.com has no Mailroom license.' },
      }),
    );
    expect(visibleText(again)).toContain('Autopilot is paused: sales@contoso.com has no Mailroom license.');
    expect(visibleText(again)).not.toContain('paused: Autopilot is paused');
  });

  it('drops "no NetSuite match" once someone has saved the email by hand', () => {
    const note = 'No NetSuite match, save it by hand';
    expect(visibleText(emailCard(emailView({ autopilotNote: note })))).toContain(note);
    const saved = emailCard(emailView({ autopilotNote: note, associations: [association({ recordName: 'ACME' })] }));
    expect(visibleText(saved)).not.toContain(note);
  });

  it('an autopilot save names the rule owner', () => {
    const saved = association({
      mode: 'autopilot',
      ruleOwnerName: 'Ana',
      recordName: 'ACME',
      savedByName: 'autopilot',
    });
    const card = emailCard(emailView({ associations: [saved] }));
    expect(visibleText(card)).toContain('Auto-saved to ACME by autopilot (rule by Ana) · 10:32');
  });

  it('shows the autopilot note', () => {
    const card = emailCard(emailView({ autopilotNote: 'No NetSuite match, save it by hand' }));
    expect(visibleText(card)).toContain('No NetSuite match, save it by hand');
  });
});
