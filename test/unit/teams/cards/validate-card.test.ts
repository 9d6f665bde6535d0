import { describe, expect, it } from 'vitest';
import { validateCard } from '../../../helpers/validate-card.js';

const card = (body: unknown[], actions: unknown[] = []) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  actions,
});

describe('validateCard', () => {
  it('passes a well-formed card', () => {
    const ok = card(
      [{ type: 'TextBlock', text: 'Hello', wrap: true }],
      [{ type: 'Action.Execute', title: 'Save', verb: 'save', data: { emailId: 'e1' } }],
    );
    expect(validateCard(ok)).toEqual([]);
  });

  it('reports an unknown element type', () => {
    expect(validateCard(card([{ type: 'Bogus', text: 'x' }]))).toEqual([
      expect.stringContaining('Unknown element type "Bogus"'),
    ]);
  });

  it('reports an unknown action type', () => {
    const errors = validateCard(card([], [{ type: 'Action.Nope', title: 'x' }]));
    expect(errors).toEqual([expect.stringContaining('Unknown action type "Action.Nope"')]);
  });

  it('reports a missing required property', () => {
    const errors = validateCard(card([], [{ type: 'Action.OpenUrl', title: 'Open' }]));
    expect(errors).toEqual([expect.stringContaining('Property "url" must be set')]);
  });

  it('reports a choice set without choices and duplicate input ids', () => {
    const errors = validateCard(
      card([
        { type: 'Input.ChoiceSet', id: 'records', choices: [] },
        { type: 'Input.Text', id: 'records' },
      ]),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Duplicate Id "records"'),
        expect.stringContaining('at least one choice'),
      ]),
    );
  });

  it('rejects what is not a card at all', () => {
    expect(validateCard(null)).not.toEqual([]);
    expect(validateCard({ type: 'Message' })).not.toEqual([]);
  });
});
