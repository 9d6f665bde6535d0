/**
 * Every failure Mailroom can show a person carries a code and a remedy: what to do next.
 * One table (error-policy.ts) maps a code to a retry decision and a log level.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'wrong_tenant'
  | 'not_found'
  | 'graph_mailbox_not_found'
  | 'graph_access_denied'
  | 'graph_throttled'
  | 'graph_unavailable'
  | 'graph_auth_failed'
  | 'graph_error'
  | 'graph_subscription_not_found'
  | 'graph_delta_reset'
  | 'teams_throttled'
  | 'teams_unavailable'
  | 'teams_message_too_large'
  | 'teams_error'
  | 'netsuite_not_configured'
  | 'netsuite_auth_failed'
  | 'netsuite_concurrency_limit'
  | 'netsuite_unavailable'
  | 'netsuite_validation'
  | 'netsuite_not_found'
  | 'netsuite_permission'
  | 'netsuite_error'
  | 'license_missing'
  | 'license_expired'
  | 'license_invalid'
  | 'license_pool_full'
  | 'rule_not_owner'
  | 'claim_taken'
  | 'unknown_mailbox'
  | 'ambiguous_mailbox'
  | 'save_in_progress'
  | 'internal';

export class MailroomError extends Error {
  readonly code: ErrorCode;
  /** What the person or admin should do next, in plain words. */
  readonly remedy: string;
  /** Seconds to wait before a retry, when the service said so (Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  readonly status: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { remedy?: string; cause?: unknown; retryAfterSeconds?: number; status?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MailroomError';
    this.code = code;
    this.remedy = opts.remedy ?? '';
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.status = opts.status;
  }
}

/** Wraps anything thrown into a MailroomError, keeping known ones as they are. */
export function toMailroomError(err: unknown): MailroomError {
  if (err instanceof MailroomError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new MailroomError('internal', message, { cause: err });
}
