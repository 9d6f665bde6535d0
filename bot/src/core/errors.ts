import type { ErrorCode } from './error-catalogue.js';

export type { ErrorCode } from './error-catalogue.js';

/**
 * Every failure Mailroom can show a person carries a code. The catalogue (error-catalogue.ts) says, for a code, the
 * HTTP status, whether a job retries it, the words a person reads and the admin's fix; the message is for the log.
 */
export class MailroomError extends Error {
  readonly code: ErrorCode;
  /** What to do next when it is more specific than the catalogue's: a refusal's next step, an adapter's fix. */
  readonly remedy: string;
  /** Seconds to wait before a retry, when the service said so (Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  /** The status the service answered with (Graph, NetSuite, Teams), when it came from one. */
  readonly status: number | undefined;
  /** The service's own words about what it refused, cut short, for codes whose words quote it (netsuite_validation). */
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { remedy?: string; cause?: unknown; retryAfterSeconds?: number; status?: number; detail?: string } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MailroomError';
    this.code = code;
    this.remedy = opts.remedy ?? '';
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.status = opts.status;
    this.detail = opts.detail;
  }
}

/** Wraps anything thrown into a MailroomError, keeping known ones as they are. */
export function toMailroomError(err: unknown): MailroomError {
  if (err instanceof MailroomError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new MailroomError('internal', message, { cause: err });
}

/**
 * Not a failure: the job cannot do its work until another job has done its own (a reply's card waits for its
 * thread's first card). The worker runs it again a little later without spending one of its attempts, for up to
 * its kind's `maxWaitMs` in all (core/retry-policy.ts `decideWait`); then the job fails with `expiredCode`.
 * Anything else that catches it sees a retryable coded error.
 */
export class Deferral extends MailroomError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly expiredCode: ErrorCode,
  ) {
    super(code, message);
    this.name = 'Deferral';
  }
}
