import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { cardCounts, SUPPORT } from './support.js';

describe('fault: Graph 429/503 storms with Retry-After', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    await h.watch(SUPPORT);
    await h.settle();
  });
  afterAll(async () => h?.close());

  it.each([429, 503] as const)(
    'every email arrives, once, through a %i storm',
    async (status) => {
      const prefix = `Storm${status}`;
      h.sandbox.graph.faults.throttle(40, status, 1);
      for (let i = 0; i < 15; i++) {
        h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: `${prefix}-${i}` });
      }
      await h.settle(40_000);
      const counts = cardCounts(h, prefix);
      expect(counts.size).toBe(15);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const refused = h.sandbox.graph.state.requests.filter((r) => r.status === status);
      expect(refused.length).toBe(40);
    },
    60_000,
  );
});
