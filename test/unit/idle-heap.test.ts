import { describe, expect, it, vi } from 'vitest';
import { releaseHeapWhenQuiet } from '../../bot/src/idle-heap.js';

/** Objects that outlive a few young-generation collections, so they sit in the old generation until a full one. */
function burstOfGarbage(): void {
  let kept: Array<{ i: number; s: string }> | undefined = [];
  for (let i = 0; i < 400_000; i++) kept.push({ i, s: `email ${i}` });
  kept = undefined;
}

describe("releaseHeapWhenQuiet (issue 14: the heap a burst leaves in the job worker's thread)", () => {
  it('once the thread is quiet after some work, releases once and gives the freed heap back', async () => {
    const releases: Array<{ before: number; after: number; collections: number }> = [];
    // Checks 50 ms apart: over 10 ms, the test runner's own work alone reads as the thread being busy.
    const heap = releaseHeapWhenQuiet({
      quietMs: 100,
      checkMs: 50,
      growthBytes: 0,
      onRelease: (before, after, collections) => releases.push({ before, after, collections }),
    });
    try {
      heap.activity();
      burstOfGarbage();
      await vi.waitFor(() => expect(releases).toHaveLength(1), { timeout: 10_000, interval: 200 });
      const [first] = releases;
      // V8 may have collected the garbage itself meanwhile, so the heap is at most what it was; a release is always
      // at least two collections, the second once the first's freed pages have been swept.
      expect(first?.after).toBeLessThanOrEqual(first?.before ?? 0);
      expect(first?.collections).toBeGreaterThanOrEqual(2);
      expect(first?.collections).toBeLessThanOrEqual(4);
      // Still quiet: one release per quiet spell, not one per check.
      await new Promise((r) => setTimeout(r, 600));
      expect(releases).toHaveLength(1);
      // Work again, then quiet again: one more.
      heap.activity();
      await vi.waitFor(() => expect(releases).toHaveLength(2), { timeout: 10_000, interval: 200 });
    } finally {
      heap.stop();
    }
  });

  it('leaves a thread alone that has done nothing, or whose heap has not grown by the threshold', async () => {
    const releases: number[] = [];
    const idle = releaseHeapWhenQuiet({ quietMs: 20, checkMs: 10, growthBytes: 0, onRelease: (b) => releases.push(b) });
    const tight = releaseHeapWhenQuiet({
      quietMs: 20,
      checkMs: 10,
      growthBytes: Number.MAX_SAFE_INTEGER,
      onRelease: (b) => releases.push(b),
    });
    try {
      tight.activity();
      await new Promise((r) => setTimeout(r, 200));
      expect(releases).toEqual([]);
    } finally {
      idle.stop();
      tight.stop();
    }
  });
});
