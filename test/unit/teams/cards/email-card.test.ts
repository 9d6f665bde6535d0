import { describe, expect, it } from 'vitest';
import { parseVerbData, Verb } from '../../../../bot/src/teams/actions.js';
import { emailCard } from '../../../../bot/src/teams/cards/email-card.js';
import type { EmailCardView } from '../../../../bot/src/teams/cards/email-card-view.js';
import { validateCard } from '../../../helpers/validate-card.js';
import { association, email, emailView } from './email-view.js';
import { action, actions, cardBytes, input, visibleText } from './read-card.js';

const states: Array<[string, EmailCardView]> = [
  ['fresh, suggestions ready', emailView()],
  ['fresh, suggestions loading', emailView({ suggestions: { state: 'loading' } })],
  ['fresh, no suggestions', emailView({ suggestions: { state: 'ready', items: [] } })],
  ['fresh, suggestions unavailable', emailView({ suggestions: { state: 'unavailable', reason: 'NetSuite is slow.' } })],
  ['with Cc', emailView({ email: email({ cc: [{ name: 'Bo', address: 'bo@fabrikam.com' }] }) })],
  ['saved', emailView({ associations: [association()] })],
  ['pending', emailView({ associations: [association({ status: 'pending' })] })],
  ['failed', emailView({ associations: [association({ status: 'failed', errorMessage: 'NetSuite is down.' })] })],
  [
    'partial',
    emailView({ associations: [association({ status: 'partial', attachmentNote: 'big.zip is over 10 MB' })] }),
  ],
  [
    'NetSuite not configured',
    emailView({ netsuite: { configured: false, remedy: 'An admin must set NETSUITE_ACCOUNT_ID.' } }),
  ],
  ['no preview, no subject', emailView({ email: email({ bodyPreview: '', subject: '' }) })],
];

describe('emailCard: every state passes the renderer checks', () => {
  it.each(states)('%s', (_name, view) => {
    const card = emailCard(view);
    expect(validateCard(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
  });
});

describe('emailCard: what a member reads', () => {
  it('shows sender, recipients, subject, received time, preview, mailbox badge and Open in Outlook', () => {
    const card = emailCard(emailView({ email: email({ cc: [{ name: 'Bo Li', address: 'bo@fabrikam.com' }] }) }));
    const text = visibleText(card);
    expect(text).toContain('Order 1042 is late');
    expect(text).toContain('From: Ana Souza (ana@fabrikam.com)');
    expect(text).toContain('To: Contoso Support (support@contoso.com)');
    expect(text).toContain('Cc: Bo Li (bo@fabrikam.com)');
    expect(text).toContain('Received: Tue, 14 Jan 2025, 10:32 UTC');
    expect(text).toContain('Shared');
    expect(text.some((t) => t.startsWith('Hi team, our order 1042'))).toBe(true);
    expect(action(card, 'Open in Outlook')?.url).toBe(email().webLink);
  });

  it('has no Cc line when there is no Cc', () => {
    expect(visibleText(emailCard(emailView())).some((t) => t.startsWith('Cc:'))).toBe(false);
  });

  it('offers suggestions with why they matched, multi-select, with NetSuite typeahead', () => {
    const records = input(emailCard(emailView()), 'records');
    expect(records).toMatchObject({
      type: 'Input.ChoiceSet',
      isMultiSelect: true,
      style: 'filtered',
      'choices.data': { type: 'Data.Query', dataset: 'netsuite.records' },
    });
    expect(records?.choices).toContainEqual({
      title: 'Ana Souza (Contact) · sender ana@fabrikam.com is this contact',
      value: 'contact:7',
    });
  });

  it("an unknown sender's card offers the team's recent records as static choices, labelled with their type", () => {
    const card = emailCard(
      emailView({
        suggestions: { state: 'ready', items: [] },
        recentRecords: [
          { type: 'contact', id: '201', name: 'Ana Ruiz' },
          { type: 'customer', id: '88', name: 'Fabrikam' },
        ],
      }),
    );
    const records = input(card, 'records');
    expect(records?.choices).toEqual([
      { title: 'Ana Ruiz (Contact) · saved recently', value: 'contact:201' },
      { title: 'Fabrikam (Customer) · saved recently', value: 'customer:88' },
    ]);
    // Clients with typeahead keep searching NetSuite.
    expect(records?.['choices.data']).toEqual({ type: 'Data.Query', dataset: 'netsuite.records' });
    expect(visibleText(card)).toContain(
      'No NetSuite match for the sender or recipients. Pick a recent record, or type to search NetSuite.',
    );
    expect(validateCard(card)).toEqual([]);
  });

  it('puts suggestions first, drops recent records already suggested, and caps the choices at 15', () => {
    const recentRecords = [
      { type: 'contact' as const, id: '7', name: 'Ana Souza' },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'customer' as const, id: String(100 + i), name: `Co ${i}` })),
    ];
    const choices = input(emailCard(emailView({ recentRecords })), 'records')?.choices as Array<{ value: string }>;
    expect(choices).toHaveLength(15);
    expect(choices.slice(0, 4).map((c) => c.value)).toEqual([
      'contact:7',
      'customer:42',
      'supportcase:311',
      'customer:100',
    ]);
    expect(choices.filter((c) => c.value === 'contact:7')).toHaveLength(1);
    expect(new Set(choices.map((c) => c.value)).size).toBe(15);
  });

  it('has a Find a record box and button wired to the find verb with the email id', () => {
    const card = emailCard(emailView({ suggestions: { state: 'ready', items: [] } }));
    expect(input(card, 'find')).toMatchObject({ type: 'Input.Text', maxLength: 100 });
    expect(action(card, 'Find a record')).toMatchObject({
      type: 'Action.Execute',
      verb: Verb.find,
      data: { emailId: email().id },
    });
    expect(parseVerbData('find', { emailId: email().id, find: '  Ana ' }).find).toBe('Ana');
  });

  it('offers what the viewer found first, says how many, and keeps the suggestions after it', () => {
    const card = emailCard(emailView(), {
      userId: 'u1',
      found: { query: 'Ana', records: [{ type: 'contact', id: '201', name: 'Ana Ruiz' }] },
    });
    const choices = (input(card, 'records')?.choices ?? []) as Array<{ title: string; value: string }>;
    const values = choices.map((c) => c.value);
    expect(values).toEqual(['contact:201', 'contact:7', 'customer:42', 'supportcase:311']);
    expect(visibleText(card)).toContain(
      'Found 1 record for "Ana": pick in NetSuite records above, then choose Save to NetSuite.',
    );
    // The shared card and other viewers' answers carry no results.
    expect(visibleText(emailCard(emailView())).some((t) => t.startsWith('Found '))).toBe(false);
    expect(validateCard(card)).toEqual([]);
  });

  it('while suggestions load, says so and still lets a member search', () => {
    const card = emailCard(emailView({ suggestions: { state: 'loading' } }));
    expect(visibleText(card)).toContain('Looking up NetSuite matches for the sender and recipients…');
    expect(input(card, 'records')?.['choices.data']).toEqual({ type: 'Data.Query', dataset: 'netsuite.records' });
    // The placeholder choice is dropped when the member clicks Save without picking anything.
    expect(parseVerbData('save', { emailId: 'em_01J9Z6', records: 'none' }).records).toEqual([]);
  });

  it('says "Save to NetSuite" first, with the email id in its data', () => {
    const save = action(emailCard(emailView()), 'Save to NetSuite');
    expect(save).toMatchObject({ type: 'Action.Execute', verb: Verb.save, data: { emailId: 'em_01J9Z6' } });
  });

  it('after a save, everyone reads who saved it where, and the button says "Save to another record"', () => {
    const card = emailCard(emailView({ associations: [association()] }));
    expect(visibleText(card)).toContain('Saved to ACME Corp (Customer) by Ana · 10:32');
    expect(JSON.stringify(card)).toContain(
      '[ACME Corp](https://123456-sb1.app.netsuite.com/app/common/entity/custjob.nl?id=42)',
    );
    expect(action(card, 'Save to another record')?.verb).toBe('save');
    expect(action(card, 'Save to NetSuite')).toBeUndefined();
  });

  it('shows a save in progress', () => {
    const card = emailCard(emailView({ associations: [association({ status: 'pending' })] }));
    expect(visibleText(card)).toContain('Saving to ACME Corp (Customer)…');
    expect(action(card, 'Save to NetSuite')).toBeDefined();
  });

  it('a failed save shows the plain reason and a Retry button carrying the association id', () => {
    const failed = association({ id: 'as_9', status: 'failed', errorMessage: 'NetSuite did not answer in time.' });
    const card = emailCard(emailView({ associations: [failed] }));
    expect(visibleText(card)).toContain('Save failed: NetSuite did not answer in time. · ACME Corp (Customer)');
    const retry = actions(card).find((a) => a.verb === 'retry');
    expect(retry).toMatchObject({ title: 'Retry ACME Corp', data: { emailId: 'em_01J9Z6', associationId: 'as_9' } });
    expect(parseVerbData('retry', retry?.data)).toEqual({ emailId: 'em_01J9Z6', associationId: 'as_9' });
  });

  it('a partial save says which attachments were skipped', () => {
    const note = 'drawings.zip is over 10 MB and was not attached';
    const card = emailCard(emailView({ associations: [association({ status: 'partial', attachmentNote: note })] }));
    const text = visibleText(card);
    expect(text).toContain('Saved to ACME Corp (Customer) by Ana · 10:32');
    expect(text).toContain(`Some attachments were not saved: ${note}`);
  });

  it('a partial save offers Retry only when an attachment failed, not when one was too large', () => {
    const tooLarge = association({ id: 'as_7', status: 'partial', attachmentNote: 'a.zip was over 10 MB' });
    expect(actions(emailCard(emailView({ associations: [tooLarge] }))).some((a) => a.verb === 'retry')).toBe(false);
    const failedFile = association({ id: 'as_8', status: 'partial', attachmentNote: 'b.pdf: refused', canRetry: true });
    const retry = actions(emailCard(emailView({ associations: [failedFile] }))).find((a) => a.verb === 'retry');
    expect(retry).toMatchObject({ title: 'Retry ACME Corp', data: { associationId: 'as_8' } });
  });

  it('without NetSuite, the Save button is replaced by the admin step', () => {
    const card = emailCard(
      emailView({ netsuite: { configured: false, remedy: 'An admin must set NETSUITE_ACCOUNT_ID.' } }),
    );
    expect(actions(card).some((a) => a.verb === 'save' || a.verb === 'autopilot')).toBe(false);
    expect(input(card, 'records')).toBeUndefined();
    expect(visibleText(card)).toContain(
      'NetSuite is not connected yet, so saving is off. An admin must set NETSUITE_ACCOUNT_ID.',
    );
    expect(action(card, 'Claim')).toBeDefined();
  });

  it('shows times in the given time zone', () => {
    const card = emailCard(emailView({ associations: [association()], timeZone: 'Europe/Lisbon' }));
    expect(visibleText(card)).toContain('Saved to ACME Corp (Customer) by Ana · 10:32');
    const ny = emailCard(emailView({ associations: [association()], timeZone: 'America/New_York' }));
    expect(visibleText(ny)).toContain('Saved to ACME Corp (Customer) by Ana · 05:32');
  });

  it('every Action.Execute carries the email id', () => {
    const view = emailView({ associations: [association({ status: 'failed' })] });
    for (const a of actions(emailCard(view)).filter((x) => x.type === 'Action.Execute')) {
      expect(a.data?.emailId).toBe('em_01J9Z6');
    }
  });

  it('stays under 28 KB with huge recipient lists, many saves and long text', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      name: `Person ${i} ${'x'.repeat(60)}`,
      address: `p${i}@fabrikam.com`,
    }));
    const view = emailView({
      email: email({ to: many, cc: many, subject: 'S'.repeat(5000), bodyPreview: 'word '.repeat(5000) }),
      associations: Array.from({ length: 200 }, (_, i) =>
        association({
          id: `as_${i}`,
          recordName: `Record ${i} ${'n'.repeat(200)}`,
          status: i % 2 ? 'failed' : 'saved',
        }),
      ),
      suggestions: {
        state: 'ready',
        items: Array.from({ length: 100 }, (_, i) => ({
          type: 'customer',
          id: `${i}`,
          name: `C${i}`,
          reason: 'r'.repeat(300),
        })),
      },
    });
    const card = emailCard(view);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(validateCard(card)).toEqual([]);
    expect((input(card, 'records')?.choices as unknown[] | undefined)?.length).toBeLessThanOrEqual(15);
  });
});
