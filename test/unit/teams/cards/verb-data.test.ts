import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../../bot/src/core/errors.js';
import { InputId, parseVerbData, recordChoiceValue, Verb } from '../../../../bot/src/teams/actions.js';
import { expandTemplate } from '../../../../bot/src/teams/cards/expand-template.js';

describe('verb data', () => {
  it('every verb needs the email id', () => {
    for (const verb of Object.values(Verb)) {
      expect(() => parseVerbData(verb, {})).toThrow();
    }
  });

  it('save reads the multi-select records answer, as Teams merges it into data', () => {
    const data = parseVerbData(Verb.save, { emailId: 'em_1', [InputId.records]: 'customer:42,supportcase:311' });
    expect(data.records).toEqual([
      { type: 'customer', id: '42' },
      { type: 'supportcase', id: '311' },
    ]);
    expect(parseVerbData(Verb.save, { emailId: 'em_1' }).records).toEqual([]);
  });

  it('a choice value round-trips through recordChoiceValue', () => {
    const value = recordChoiceValue({ type: 'contact', id: '7' });
    expect(parseVerbData(Verb.save, { emailId: 'em_1', records: value }).records).toEqual([
      { type: 'contact', id: '7' },
    ]);
  });

  it('rejects an unknown record type', () => {
    expect(() => parseVerbData(Verb.save, { emailId: 'em_1', records: 'employee:1' })).toThrow();
  });

  it('autopilot defaults to this sender and accepts this thread', () => {
    expect(parseVerbData(Verb.autopilot, { emailId: 'em_1' }).autopilotKind).toBe('sender');
    expect(parseVerbData(Verb.autopilot, { emailId: 'em_1', autopilotKind: 'thread' }).autopilotKind).toBe('thread');
    expect(() => parseVerbData(Verb.autopilot, { emailId: 'em_1', autopilotKind: 'mailbox' })).toThrow();
  });

  it('retry needs the association id', () => {
    expect(() => parseVerbData(Verb.retry, { emailId: 'em_1' })).toThrow();
    expect(parseVerbData(Verb.retry, { emailId: 'em_1', associationId: 'as_9', msteams: {} })).toEqual({
      emailId: 'em_1',
      associationId: 'as_9',
    });
  });
});

describe('expandTemplate', () => {
  it('refuses to leave an unbound binding on a card', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: `Hi ${['$', '{name}'].join('')}` }],
    };
    expect(() => expandTemplate(template, {})).toThrow(MailroomError);
    expect(expandTemplate(template, { name: 'Ana' })).toMatchObject({ body: [{ text: 'Hi Ana' }] });
  });
});
