import { describe, expect, it } from 'vitest';
import { newClientState } from '../../../bot/src/core/watch.js';
import { clientStateMatches } from '../../../bot/src/mail/client-state.js';

describe('clientStateMatches', () => {
  it('accepts only the exact secret, whatever the lengths', () => {
    const secret = newClientState();
    expect(secret.length).toBeLessThanOrEqual(128);
    expect(clientStateMatches(secret, secret)).toBe(true);
    expect(clientStateMatches(`${secret}x`, secret)).toBe(false);
    expect(clientStateMatches(secret.slice(1), secret)).toBe(false);
    expect(clientStateMatches('', secret)).toBe(false);
    expect(clientStateMatches(undefined, secret)).toBe(false);
    expect(clientStateMatches(null, secret)).toBe(false);
    expect(newClientState()).not.toBe(secret);
  });

  it('keeps each subscription’s secret apart once they have been checked many times', () => {
    const secrets = Array.from({ length: 1_200 }, () => newClientState());
    // More secrets than the digests it remembers: each still matches itself alone, before and after.
    for (const round of [1, 2])
      for (const [i, secret] of secrets.entries()) {
        expect(clientStateMatches(secret, secret), `round ${round}`).toBe(true);
        expect(clientStateMatches(secret, secrets[(i + 1) % secrets.length] ?? '')).toBe(false);
      }
  });
});
