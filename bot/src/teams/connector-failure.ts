import type { Activity } from 'botbuilder';
import { MailroomError } from '../core/errors.js';
import { retryAfterSeconds } from '../core/retry-after.js';
import { callRetryPolicy } from '../core/retry-policy.js';

/** The statuses Teams asks bots to retry: throttled, precondition (a concurrent update), and gateway faults. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (n: string) => string | undefined } } })?.response?.headers;
  return retryAfterSeconds(headers?.get?.('retry-after'), new Date());
}

/**
 * No answer at all: a socket error (ECONNRESET, ETIMEDOUT…), the SDK's REQUEST_SEND_ERROR, or a timeout. That passes,
 * so the job tries again later; any other failure without a status is a defect and fails at once.
 */
function unreachable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return (
    /^E[A-Z]+$/.test(code) || code === 'REQUEST_SEND_ERROR' || e?.name === 'TimeoutError' || e?.name === 'AbortError'
  );
}

/** Up to 4 attempts, after Retry-After when Teams sends one, else Mailroom's one backoff. */
export const connectorRetry = callRetryPolicy({
  retryable: (err) => RETRYABLE.has(statusOf(err) ?? 0),
  retryAfterSeconds: retryAfterOf,
  maxAttempts: 4,
});

/** Turns a connector failure into a coded error the job runner knows how to retry or report. */
export function toTeamsError(err: unknown): MailroomError {
  const status = statusOf(err);
  const seconds = retryAfterOf(err);
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  const after = seconds !== undefined ? { retryAfterSeconds: Math.ceil(seconds) } : {};
  if (status === 429) return new MailroomError('teams_throttled', 'Teams is throttling the bot', { ...opts, ...after });
  if (status !== undefined && RETRYABLE.has(status)) {
    return new MailroomError('teams_unavailable', `Teams answered ${status}`, { ...opts, ...after });
  }
  if (status === 413) {
    return new MailroomError('teams_message_too_large', 'The card is larger than Teams accepts', {
      ...opts,
      remedy: 'The email card was too large to post; open the email in Outlook.',
    });
  }
  if (status === 403 || status === 404) {
    return new MailroomError('teams_error', `Teams refused the post (${status})`, {
      ...opts,
      remedy: 'Mailroom may have been removed from this team or channel. Add it again, then run /watch in the channel.',
    });
  }
  if (status === undefined && unreachable(err)) {
    return new MailroomError('teams_unavailable', `Teams could not be reached (${String(err)})`, opts);
  }
  return new MailroomError('internal', err instanceof Error ? err.message : String(err), opts);
}

/**
 * Teams refuses a message over about 100 KB (counted in UTF-16, card included) with 413 MessageSizeTooBig, and
 * advises staying under 80 KB. Refusing here saves a call Teams would refuse and names the cause.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
 */
export const MAX_ACTIVITY_UTF16_BYTES = 80 * 1024;

export function checkActivitySize(activity: Partial<Activity>): void {
  const bytes = Buffer.byteLength(JSON.stringify(activity), 'utf16le');
  if (bytes > MAX_ACTIVITY_UTF16_BYTES) {
    throw new MailroomError('teams_message_too_large', `The card is ${Math.ceil(bytes / 1024)} KB; Teams takes 80 KB`, {
      status: 413,
      remedy: 'The email card was too large to post; open the email in Outlook.',
    });
  }
}
