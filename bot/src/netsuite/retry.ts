import { MailroomError } from '../core/errors.js';
import { callRetryPolicy } from '../core/retry-policy.js';

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
 * Mailroom's one retry policy, stretched to Retry-After when NetSuite sends one. NetSuite asks integrations to
 * back off with growing, randomized delays when they hit the concurrency limit.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156012412178.html (429 and concurrency)
 */
export function netsuiteRetryPolicy(opts: RetryOptions = {}) {
  return callRetryPolicy({
    retryable: isRetryable,
    retryAfterSeconds: (err) => (err instanceof MailroomError ? err.retryAfterSeconds : undefined),
    maxAttempts: opts.maxAttempts ?? 5,
    baseMs: opts.initialDelayMs ?? 250,
    maxMs: opts.maxDelayMs ?? 8_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 30_000,
  });
}
