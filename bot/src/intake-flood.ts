/**
 * Jobs the worker runs at once while Graph's notifications flood in. Acknowledging Graph comes first, and the
 * worker's lower thread priority does not reach the work it causes elsewhere: its statements run in PostgreSQL's
 * backends at theirs. On two cores a worker running sixteen jobs took the cores the 202s needed. In A/B pairs at
 * 500/s on PostgreSQL (2026-12-08) the p99 was 12 and 14 ms with one job at a time, 90 and 32 ms without; the worker
 * stored 528 and 373 emails in the 10 s against 929 and 824. The notifications are stored meanwhile; their cards
 * follow at that pace, and at full pace once the flood eases.
 */
export const FLOOD_CONCURRENCY = 1;

/**
 * Tells when Graph's notifications arrive as a flood: more than `perWindow` stored in each of `windows` consecutive
 * windows (by default over 300 a second for a second). The flood ends after two windows under the threshold. A
 * burst of a few hundred at once (a mailbox's backlog) is shorter than that and is not a flood. Only notifications
 * the intake stored count: forged ones, refused, cannot slow the cards down.
 */
export interface FloodMeterOptions {
  windowMs?: number;
  perWindow?: number;
  windows?: number;
  onChange(flooding: boolean): void;
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
  let flooding = false;
  const timer = setInterval(() => {
    if (inWindow > perWindow) {
      over++;
      under = 0;
    } else {
      under++;
      over = 0;
    }
    inWindow = 0;
    if (!flooding && over >= windows) {
      flooding = true;
      opts.onChange(true);
    } else if (flooding && under >= 2) {
      flooding = false;
      opts.onChange(false);
    }
  }, windowMs);
  timer.unref();
  return {
    count: (n = 1) => {
      inWindow += n;
    },
    stop: () => clearInterval(timer),
  };
}
