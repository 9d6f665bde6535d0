import { DelegateBackoff, halfJitterGenerator, handleWhen, type IRetryBackoffContext, retry } from 'cockatiel';

/**
 * The one retry and backoff policy of Mailroom, for durable jobs and for the calls inside them alike: exponential
 * backoff with half jitter (cockatiel's generator), except that a wait the service named (Retry-After) wins.
 */
export interface Backoff {
  /** The first wait's ceiling, in milliseconds; each further attempt doubles it. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/** What a job kind does when its handler fails with a retryable error. */
export interface RetryPolicy extends Backoff {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /**
   * How long in all a job may wait for another job (a deferral: a reply's card waiting for its thread's first
   * card), counted from its first wait. Waiting spends no attempt; past this the job fails.
   */
  maxWaitMs: number;
}

/**
 * Milliseconds to wait after the given attempt (1 for the first) failed: the service's Retry-After when it named
 * one, else a wait between half of and the whole exponential ceiling.
 */
export function backoffMs(attempt: number, b: Backoff, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) return Math.round(retryAfterSeconds * 1000);
  const [ms] = halfJitterGenerator(Math.max(0, attempt - 1), {
    initialDelay: b.baseMs,
    maxDelay: b.maxMs,
    exponent: 2,
    generator: halfJitterGenerator,
  });
  return ms;
}

/** What to do after a failed try: wait and try again, or give up now. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  err: { retryable: boolean; retryAfterSeconds?: number | undefined },
): RetryDecision {
  if (!err.retryable || attempt >= policy.maxAttempts) return { retry: false };
  return { retry: true, delayMs: backoffMs(attempt, policy, err.retryAfterSeconds) };
}

/** What to do after a deferral: look again later, or stop waiting. */
export type WaitDecision = { wait: true; delayMs: number } | { wait: false };

/**
 * After a job found what it waits for not done yet, having waited `waitedMs` so far: it looks again after about
 * half that (jittered, at least `baseMs`, at most `maxMs`), so a short wait is checked often and a long one seldom,
 * until `maxWaitMs` in all.
 */
export function decideWait(policy: RetryPolicy, waitedMs: number): WaitDecision {
  const left = policy.maxWaitMs - waitedMs;
  if (left <= 0) return { wait: false };
  const ceiling = Math.min(policy.maxMs, Math.max(policy.baseMs, waitedMs / 2));
  return { wait: true, delayMs: Math.min(left, backoffMs(1, { baseMs: ceiling, maxMs: ceiling })) };
}

export interface CallRetryOptions extends Partial<RetryPolicy> {
  /** Which failures are worth another try. */
  retryable: (err: Error) => boolean;
  /** The wait the service asked for (Retry-After), in seconds, if the error carries one. */
  retryAfterSeconds: (err: unknown) => number | undefined;
  /**
   * A Retry-After longer than this is not slept on inside the call: the error goes up, and the durable job that
   * made the call is scheduled again after it.
   */
  maxRetryAfterMs?: number;
}

/** The same policy for one outgoing call, retried in process (cockatiel) a few times before the job gives up. */
export function callRetryPolicy(opts: CallRetryOptions) {
  const b: Backoff = { baseMs: opts.baseMs ?? 500, maxMs: opts.maxMs ?? 8_000 };
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((ctx) =>
    backoffMs(ctx.attempt, b, 'error' in ctx.result ? opts.retryAfterSeconds(ctx.result.error) : undefined),
  );
  const worthIt = (err: Error) => {
    if (!opts.retryable(err)) return false;
    const asked = opts.retryAfterSeconds(err);
    return asked === undefined || asked * 1000 <= maxRetryAfterMs;
  };
  // cockatiel counts retries, not tries.
  return retry(handleWhen(worthIt), { maxAttempts: Math.max(0, (opts.maxAttempts ?? 4) - 1), backoff });
}
