import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a notification's clientState with the subscription's secret in constant time.
 * Both sides are hashed first, so the comparison does not leak the secret's length either.
 */
export function clientStateMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
