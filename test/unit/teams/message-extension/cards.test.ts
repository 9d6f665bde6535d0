import { describe, expect, it } from 'vitest';
import { recordResultCard } from '../../../../bot/src/teams/cards/record-result-card.js';
import { saveDialogCard } from '../../../../bot/src/teams/cards/save-dialog-card.js';
import { unfurlCard } from '../../../../bot/src/teams/cards/unfurl-card.js';
import { validateCard } from '../../../helpers/validate-card.js';

// A `${…}` in a record name must reach the card as text, never be re-expanded by the templating engine.
const hostile = `Acme **bold** [x](https://evil.example) ${'$'}{name} <b>`;
const record = {
  type: 'customer' as const,
  id: '101',
  name: hostile,
  url: 'https://tstdrv1.app.netsuite.com/app/common/entity/custjob.nl?id=101',
  facts: [
    { title: 'Email', value: 'orders@fabrikam.com' },
    { title: 'Phone', value: '' },
  ],
};

describe('messaging extension cards', () => {
  it('renders a search result (1.5) and an unfurl (1.3) that pass the renderer checks, text escaped', () => {
    const result = recordResultCard(record);
    const unfurl = unfurlCard(record);
    expect(result.version).toBe('1.5');
    expect(unfurl.version).toBe('1.3');
    for (const card of [result, unfurl]) {
      expect(validateCard(card)).toEqual([]);
      const text = JSON.stringify(card);
      expect(text).not.toContain('**bold**');
      expect(text).toContain('Open in NetSuite');
      expect(text).not.toContain('Phone');
    }
  });

  it('renders a card with no facts and no usable link', () => {
    const card = unfurlCard({ ...record, url: 'javascript:alert(1)', facts: [] });
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('Open in NetSuite');
  });

  it('renders the save dialog for an email and for a Teams message', () => {
    const email = saveDialogCard({
      subject: { kind: 'email', emailId: 'em_1', subject: hostile, from: 'ana@fabrikam.com' },
      excerpt: 'Where is my order?',
      suggestions: [{ type: 'contact', id: '201', name: 'Ana Ruiz', reason: 'sender' }],
    });
    const message = saveDialogCard({ subject: { kind: 'message', author: 'Megan' }, excerpt: '', suggestions: [] });
    for (const card of [email, message]) {
      expect(validateCard(card)).toEqual([]);
      expect(JSON.stringify(card)).toContain('"dataset":"netsuite.records"');
    }
    expect(JSON.stringify(email)).toContain('"emailId":"em_1"');
    expect(JSON.stringify(email)).toContain('contact:201');
  });
});
