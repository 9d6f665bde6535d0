import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalIdFor } from '../../../bot/src/netsuite/external-id.js';

describe('externalIdFor', () => {
  it('is the same for the same save and different for another record', () => {
    const a = externalIdFor('t1', '<CAF=1042@mail.fabrikam.com>', 'supportcase', '501');
    expect(externalIdFor('t1', '<CAF=1042@mail.fabrikam.com>', 'supportcase', '501')).toBe(a);
    expect(externalIdFor('t1', '<CAF=1042@mail.fabrikam.com>', 'customer', '501')).not.toBe(a);
    expect(externalIdFor('t2', '<CAF=1042@mail.fabrikam.com>', 'supportcase', '501')).not.toBe(a);
  });

  it('only ever holds letters, digits, _ and -', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (t, m, r) => {
        expect(externalIdFor(t, m, 'contact', r)).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });
});
