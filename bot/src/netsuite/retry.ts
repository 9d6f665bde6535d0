import { DelegateBackoff, handleWhen, type IRetryBackoffContext, retry } from 'cockatiel';
import { MailroomError } from '../core/errors.js';

export interface RetryOptions {
  /** Tries in all, the first included. */
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not slept on here: the error goes up so the job reschedules itself. */
  maxRetryAfterMs?: number;
}

/** Codes worth another try within the same call: throttling and outages. */
export function isRetryable(err: Error): boolean {
  return (
    err instanceof MailroomError && (err.code === 'netsuite_concurrency_limit' || err.code === 'netsuite_unavailable')
  );
}

/**
 * Exponential backoff with full jitter, stretched to Retry-After when NetSuite sends one.
 * NetSuite asks integrations to back off with growing, randomized delays when they hit the concurrency limit.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156012412178.html (429 and concurrency)
 */
export function netsuiteRetryPolicy(opts: RetryOptions = {}) {
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 8_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 30_000;
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((ctx) => {
    const ceiling = Math.min(max, initial * 2 ** (ctx.attempt - 1));
    const jittered = Math.random() * ceiling;
    const err = 'error' in ctx.result ? ctx.result.error : undefined;
    const hinted =
      err instanceof MailroomError && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 0;
    return Math.max(jittered, Math.min(hinted, maxRetryAfter));
  });
  return retry(
    handleWhen((err) => {
      if (!isRetryable(err)) return false;
      // A long Retry-After is the job queue's business, not a sleeping request's.
      const ra = err instanceof MailroomError ? err.retryAfterSeconds : undefined;
      return ra === undefined || ra * 1000 <= maxRetryAfter;
    }),
    { maxAttempts: Math.max(0, (opts.maxAttempts ?? 5) - 1), backoff },
  );
}
