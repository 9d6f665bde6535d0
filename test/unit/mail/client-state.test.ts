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
});
