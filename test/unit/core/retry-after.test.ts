import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../../../bot/src/core/retry-after.js';

describe('retryAfterSeconds', () => {
  const now = new Date('2026-11-22T10:00:00Z');

  it('reads delta-seconds and HTTP dates, and never a negative wait', () => {
    expect(retryAfterSeconds('3', now)).toBe(3);
    expect(retryAfterSeconds('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('-4', now)).toBe(0);
  });

  it('says nothing for no header or one it cannot read', () => {
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
    expect(retryAfterSeconds('  ', now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});
