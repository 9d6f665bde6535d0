import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { click, emailId, netsuiteMessages, PEOPLE } from '../autopilot/kit.js';

const ANA_CONTACT = '201';

interface Choice {
  title: string;
  value: string;
}

/** The static choices of the records picker in a card answered as JSON text. */
function recordChoices(cardText: string): Choice[] {
  const found: Choice[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Input.ChoiceSet' && o.id === 'records') found.push(...(o.choices as Choice[]));
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(cardText));
  return found;
}

describe('the records picker without typeahead: static recent records', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.watch('support@contoso.com');
  });
  afterAll(async () => h?.close());

  it("offers the team's recent records on an unknown sender's card, and saves to the one picked exactly once", async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Known sender' });
    await h.settle();
    const known = await emailId(h, 'Known sender');
    expect((await click(h, 'save', { emailId: known, records: `contact:${ANA_CONTACT}` }, PEOPLE.megan)).kind).toBe(
      'card',
    );
    await h.settle();

    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'stranger@unknown.example', subject: 'New sender' });
    await h.settle();
    const id = await emailId(h, 'New sender');
    const card = await click(h, 'refresh', { emailId: id }, PEOPLE.alex);
    expect(card.kind).toBe('card');
    expect(validateCard(JSON.parse(card.text))).toEqual([]);
    const choice = recordChoices(card.text).find((c) => c.value === `contact:${ANA_CONTACT}`);
    expect(choice?.title).toMatch(/ \(Contact\) · saved recently$/);

    const saved = await click(h, 'save', { emailId: id, records: choice?.value }, PEOPLE.alex);
    expect(saved.kind).toBe('card');
    await h.settle();
    const again = await click(h, 'save', { emailId: id, records: choice?.value }, PEOPLE.alex);
    expect(again.text).toMatch(/^Already saved to .* \(Contact\) by /);
    await h.settle();
    const messages = netsuiteMessages(h, 'New sender');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.fields.entity).toBe(ANA_CONTACT);
  });
});
