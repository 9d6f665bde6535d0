import { describe, expect, it } from 'vitest';
import { RECORD_TYPES } from '../../../bot/src/core/ports.js';
import { RECORD_TYPE_LABELS, recordTypeLabel } from '../../../bot/src/core/record-type-label.js';
import { emailCard } from '../../../bot/src/teams/cards/email-card.js';
import { association, emailView } from '../teams/cards/email-view.js';

describe('record type words', () => {
  it('come from one table that names every record type once', () => {
    expect(Object.keys(RECORD_TYPE_LABELS).sort()).toEqual([...RECORD_TYPES].sort());
    expect(new Set(Object.values(RECORD_TYPE_LABELS)).size).toBe(RECORD_TYPES.length);
    expect(recordTypeLabel('supportcase')).toBe('Support case');
  });

  it('are what a card says for a saved record', () => {
    const saved = association({ recordType: 'supportcase', recordName: 'Case 1042' });
    expect(JSON.stringify(emailCard(emailView({ associations: [saved] })))).toContain('(Support case)');
  });
});
