import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { floodMeter } from '../../bot/src/intake-flood.js';

describe('floodMeter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const windowOf = (meter: { count(): void }, n: number) => {
    for (let i = 0; i < n; i++) meter.count();
    vi.advanceTimersByTime(250);
  };

  it('says a flood began after four windows over the threshold in a row, and ended after two under it', () => {
    const changes: boolean[] = [];
    const meter = floodMeter({ onChange: (on) => changes.push(on) });
    for (let w = 0; w < 3; w++) windowOf(meter, 125);
    expect(changes).toEqual([]);
    windowOf(meter, 125);
    expect(changes).toEqual([true]);
    windowOf(meter, 200);
    windowOf(meter, 10);
    expect(changes).toEqual([true]);
    windowOf(meter, 10);
    expect(changes).toEqual([true, false]);
    meter.stop();
  });

  it('takes a burst of a few hundred requests, or a steady 200 a second, for no flood', () => {
    const changes: boolean[] = [];
    const meter = floodMeter({ onChange: (on) => changes.push(on) });
    windowOf(meter, 300);
    windowOf(meter, 300);
    windowOf(meter, 0);
    for (let w = 0; w < 40; w++) windowOf(meter, 50);
    expect(changes).toEqual([]);
    meter.stop();
  });

  it('counts a commit of many notifications as many', () => {
    const changes: boolean[] = [];
    const meter = floodMeter({ onChange: (on) => changes.push(on) });
    for (let w = 0; w < 4; w++) {
      meter.count(40);
      meter.count(40);
      vi.advanceTimersByTime(250);
    }
    expect(changes).toEqual([true]);
    meter.stop();
  });

  it('counts nothing once stopped', () => {
    const changes: boolean[] = [];
    const meter = floodMeter({ onChange: (on) => changes.push(on) });
    meter.stop();
    for (let w = 0; w < 8; w++) windowOf(meter, 500);
    expect(changes).toEqual([]);
  });
});
