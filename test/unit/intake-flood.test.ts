import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FLOOD_CONCURRENCY,
  floodMeter,
  type Pressure,
  SURGE_CONCURRENCY,
  workerLimit,
} from '../../bot/src/intake-flood.js';

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

  it('says a surge began the moment a window passed the threshold, before the window ended', () => {
    const changes: Pressure[] = [];
    const meter = floodMeter({ onChange: (p) => changes.push(p) });
    for (let i = 0; i < 75; i++) meter.count();
    expect(changes).toEqual([]);
    meter.count();
    expect(changes).toEqual(['surge']);
    meter.stop();
  });

  it('says a flood began after four windows over the threshold in a row, and calm after two under it', () => {
    const changes: Pressure[] = [];
    const meter = floodMeter({ onChange: (p) => changes.push(p) });
    for (let w = 0; w < 3; w++) windowOf(meter, 125);
    expect(changes).toEqual(['surge']);
    windowOf(meter, 125);
    expect(changes).toEqual(['surge', 'flood']);
    windowOf(meter, 200);
    windowOf(meter, 10);
    expect(changes).toEqual(['surge', 'flood']);
    windowOf(meter, 10);
    expect(changes).toEqual(['surge', 'flood', 'calm']);
    meter.stop();
  });

  it('takes a burst of a few hundred for a surge that ends, never a flood, and a steady 200 a second for calm', () => {
    const changes: Pressure[] = [];
    const meter = floodMeter({ onChange: (p) => changes.push(p) });
    windowOf(meter, 300);
    windowOf(meter, 300);
    windowOf(meter, 0);
    windowOf(meter, 0);
    expect(changes).toEqual(['surge', 'calm']);
    for (let w = 0; w < 40; w++) windowOf(meter, 50);
    expect(changes).toEqual(['surge', 'calm']);
    meter.stop();
  });

  it('counts a commit of many notifications as many', () => {
    const changes: Pressure[] = [];
    const meter = floodMeter({ onChange: (p) => changes.push(p) });
    for (let w = 0; w < 4; w++) {
      meter.count(40);
      meter.count(40);
      vi.advanceTimersByTime(250);
    }
    expect(changes).toEqual(['surge', 'flood']);
    meter.stop();
  });

  it('counts nothing once stopped', () => {
    const changes: Pressure[] = [];
    const meter = floodMeter({ onChange: (p) => changes.push(p) });
    meter.stop();
    for (let w = 0; w < 8; w++) windowOf(meter, 500);
    expect(changes).toEqual([]);
  });
});

describe('workerLimit', () => {
  it('runs fewer jobs in a surge and fewest in a flood, and lifts the limit when calm', () => {
    expect(workerLimit('calm')).toBeUndefined();
    expect(workerLimit('surge')).toBe(SURGE_CONCURRENCY);
    expect(workerLimit('flood')).toBe(FLOOD_CONCURRENCY);
    expect(FLOOD_CONCURRENCY).toBeLessThan(SURGE_CONCURRENCY);
  });
});
