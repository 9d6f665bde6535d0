import { describe, expect, it } from 'vitest';
import { emailCard } from '../../../../bot/src/teams/cards/email-card.js';
import { validateCard } from '../../../helpers/validate-card.js';
import { association, email, emailView } from './email-view.js';
import { markdownTexts, visibleText } from './read-card.js';

/** A template binding as an attacker would type it, written without tripping the template-string lint. */
const binding = (expr: string): string => ['$', '{', expr, '}'].join('');

const attacks = [
  binding('$root.secret'),
  binding('emailId'),
  '[click](https://evil.example)',
  '**urgent**',
  '_x_',
  '# Heading',
  '<b>bold</b> <at>Everyone</at>',
  '`rm -rf`',
  '- not a list',
  '1. not a list',
  '{{DATE(2025-01-14T10:32:00Z, SHORT)}}',
];

describe('emailCard: email text shows literally', () => {
  it.each(attacks)('subject, sender name and preview %s', (attack) => {
    const view = emailView({
      email: email({ subject: attack, from: { name: attack, address: 'ana@fabrikam.com' }, bodyPreview: attack }),
      associations: [association({ recordName: attack, savedByName: attack })],
    });
    const card = emailCard(view);
    expect(validateCard(card)).toEqual([]);
    const text = visibleText(card);
    expect(text).toContain(attack);
    expect(text).toContain(`From: ${attack} (ana@fabrikam.com)`);
    expect(text).toContain(`Saved to ${attack} (Customer) by ${attack} · 10:32`);
  });

  it('the template engine never expands a binding that arrives inside email text', () => {
    const card = emailCard(
      emailView({ email: email({ subject: `${binding('$root.emailId')} ${binding('webLink')}` }) }),
    );
    expect(visibleText(card)).toContain(`${binding('$root.emailId')} ${binding('webLink')}`);
    expect(JSON.stringify(card)).not.toContain('em_01J9Z6 https://');
  });

  it('the only links on the card are the ones Mailroom made', () => {
    const view = emailView({
      email: email({ subject: '[click](https://evil.example)', bodyPreview: 'see [here](https://evil.example/x)' }),
      associations: [association()],
    });
    const links = markdownTexts(emailCard(view)).flatMap((t) =>
      [...t.matchAll(/(?<!\\)\[[^\]]*\]\(([^)]*)\)/g)].map((m) => m[1]),
    );
    expect(links).toEqual(['https://123456-sb1.app.netsuite.com/app/common/entity/custjob.nl?id=42']);
  });

  it('a record link that is not http(s) is shown as text only', () => {
    const card = emailCard(emailView({ associations: [association({ recordUrl: 'javascript:alert(1)' })] }));
    expect(JSON.stringify(card)).not.toContain('javascript:');
    expect(visibleText(card)).toContain('Saved to ACME Corp (Customer) by Ana · 10:32');
  });
});
