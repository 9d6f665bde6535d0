import { describe, expect, it } from 'vitest';
import { plainReason } from '../../../bot/src/core/plain-reason.js';
import { mapNetSuiteError } from '../../../bot/src/netsuite/map-error.js';

const what = 'create message';

describe('a NetSuite failure in words for the card', () => {
  it('is short, says what to do, and leaves the HTTP detail to the log', () => {
    for (const status of [401, 403, 404, 429, 500, 418]) {
      const reason = plainReason(mapNetSuiteError(status, { title: 'x' }, { what }));
      expect(reason.length, String(status)).toBeLessThan(160);
      expect(reason).not.toMatch(/\(\d{3}/);
    }
    expect(plainReason(mapNetSuiteError(401, {}, { what }))).toContain('Ask your Mailroom admin');
  });

  it("keeps NetSuite's own words once for a refused record", () => {
    const err = mapNetSuiteError(
      400,
      { 'o:errorDetails': [{ detail: 'Invalid value for the field entity.', 'o:errorCode': 'INVALID_FLD_VALUE' }] },
      { what },
    );
    const reason = plainReason(err);
    expect(reason).toBe(
      'NetSuite refused it: Invalid value for the field entity. Pick another record, or fix it in NetSuite and Retry.',
    );
  });
});
