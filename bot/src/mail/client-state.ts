import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The digests of the few subscription secrets in use: a burst checks the same one thousands of times. */
const expectedDigests = new Map<string, Buffer>();
const MAX_DIGESTS = 1_000;

function digestOfExpected(expected: string): Buffer {
  let d = expectedDigests.get(expected);
  if (!d) {
    if (expectedDigests.size >= MAX_DIGESTS) expectedDigests.clear();
    d = sha256(expected);
    expectedDigests.set(expected, d);
  }
  return d;
}

/**
 * Compares a notification's clientState with the subscription's secret in constant time.
 * Both sides are hashed first, so the comparison does not leak the secret's length either.
 */
export function clientStateMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string') return false;
  return timingSafeEqual(sha256(received), digestOfExpected(expected));
}
