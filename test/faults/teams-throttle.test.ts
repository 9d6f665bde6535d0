import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { cardCounts, SUPPORT } from './support.js';

describe('fault: Teams answers 429 in a storm', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    await h.watch(SUPPORT);
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('waits as Teams asks (Retry-After), retries, and every card arrives exactly once', async () => {
    const failuresBefore = h.connector.failures;
    const start = Date.now();
    h.connector.failNext(25, 429, 1);
    for (let i = 0; i < 10; i++) {
      h.sandbox.graph.deliver({ to: [SUPPORT], from: `p${i}@fabrikam.com`, subject: `TeamsStorm-${i}` });
    }
    await h.settle(45_000);
    const counts = cardCounts(h, 'TeamsStorm');
    expect(counts.size).toBe(10);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(h.connector.failures - failuresBefore).toBe(25);
    // Paced: nothing got through before Teams' Retry-After of one second had passed.
    const posted = h.connector.posts.filter((p) => JSON.stringify(p.activity).includes('TeamsStorm'));
    expect(Math.min(...posted.map((p) => p.at)) - start).toBeGreaterThanOrEqual(900);
  }, 60_000);
});
