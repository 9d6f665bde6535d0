import { DelegateBackoff, handleWhen, type IRetryBackoffContext, retry } from 'cockatiel';

export interface HttpRetryOptions {
  /** Which failures are worth another try. */
  retryable: (err: unknown) => boolean;
  /** The wait the service asked for (Retry-After), in milliseconds, if the error carries one. */
  retryAfterMs: (err: unknown) => number | undefined;
  maxAttempts?: number;
  baseMs?: number;
  maxMs?: number;
}

/**
 * An in-process retry policy for one outgoing call: exponential backoff with full jitter, except that a
 * Retry-After from the service always wins. Long outages are not waited out here: the call fails, and the
 * durable job that made it is scheduled again.
 */
export function httpRetryPolicy(opts: HttpRetryOptions) {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 8_000;
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((ctx) => {
    const asked = 'error' in ctx.result ? opts.retryAfterMs(ctx.result.error) : undefined;
    if (asked !== undefined) return Math.min(asked, 60_000);
    const ceiling = Math.min(max, base * 2 ** Math.max(0, ctx.attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  });
  return retry(handleWhen(opts.retryable), { maxAttempts: opts.maxAttempts ?? 4, backoff });
}
