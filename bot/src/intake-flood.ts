/**
 * How hard Graph's notifications are coming in, and so how many jobs the worker runs at once. Acknowledging Graph
 * comes first, and the worker's lower thread priority does not reach the work it causes elsewhere: its statements
 * run in PostgreSQL's backends at theirs.
 * - `calm`: the worker runs up to its concurrency.
 * - `surge`: notifications are being stored at over 300 a second (SURGE_CONCURRENCY). It begins the moment a
 *   window passes the threshold: a flood's first second is when the server thread has the least to spare.
 * - `flood`: that has lasted a second (FLOOD_CONCURRENCY).
 * Two windows under the threshold and it is calm again. Only notifications the intake stored count: forged ones,
 * refused, cannot slow the cards down.
 */
export type Pressure = 'calm' | 'surge' | 'flood';

/**
 * Jobs at once during a surge. In the ack benchmark at 2,000/s on PostgreSQL (2026-12-08), with the worker at 4 from
 * the first notification none of 8 runs had a p99 over 100 ms (16 to 44 ms), against 3 of 8 (up to 366 ms) with it
 * at its 16 until the flood was told apart a second later: the worker's first second of a sudden backlog was when
 * the acknowledgements stalled. With surges, in 10 interleaved pairs the p99 at 2,000/s was 15 to 46 ms (median 20)
 * against 19 to 56 (median 34), and at 500/s 9 to 13 ms against 10 to 21 in 6 pairs. A burst of 300 (the throughput
 * benchmark) is a surge: its cards came at 336 a second against 364, with a p99 of 660 ms against 550.
 */
export const SURGE_CONCURRENCY = 4;

/**
 * Jobs at once during a flood. In A/B pairs at 500/s on PostgreSQL (2026-12-08) the p99 was 12 and 14 ms with one
 * job at a time, 90 and 32 ms without; the worker stored 528 and 373 emails in the 10 s against 929 and 824. The
 * notifications are stored meanwhile; their cards follow at that pace, and at full pace once it eases.
 */
export const FLOOD_CONCURRENCY = 1;

/** The worker's limit under `pressure`; undefined for none. */
export function workerLimit(pressure: Pressure): number | undefined {
  if (pressure === 'flood') return FLOOD_CONCURRENCY;
  if (pressure === 'surge') return SURGE_CONCURRENCY;
  return undefined;
}

export interface FloodMeterOptions {
  windowMs?: number;
  /** Over this many stored in one window is a surge (by default 75 in 250 ms: 300 a second). */
  perWindow?: number;
  /** This many windows over in a row is a flood. */
  windows?: number;
  onChange(pressure: Pressure): void;
}

export interface FloodMeter {
  /** `n` notifications were stored. */
  count(n?: number): void;
  stop(): void;
}

export function floodMeter(opts: FloodMeterOptions): FloodMeter {
  const windowMs = opts.windowMs ?? 250;
  const perWindow = opts.perWindow ?? 75;
  const windows = opts.windows ?? 4;
  let inWindow = 0;
  let over = 0;
  let under = 0;
  let stopped = false;
  let pressure: Pressure = 'calm';
  const become = (p: Pressure) => {
    pressure = p;
    opts.onChange(p);
  };
  const timer = setInterval(() => {
    if (inWindow > perWindow) {
      over++;
      under = 0;
    } else {
      under++;
      over = 0;
    }
    inWindow = 0;
    if (pressure !== 'flood' && over >= windows) become('flood');
    else if (pressure !== 'calm' && under >= 2) become('calm');
  }, windowMs);
  timer.unref();
  return {
    count: (n = 1) => {
      if (stopped) return;
      inWindow += n;
      if (pressure === 'calm' && inWindow > perWindow) become('surge');
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
