import { GraphError } from '@microsoft/microsoft-graph-client';
import { MailroomError } from '../core/errors.js';
import { retryAfterSeconds } from '../core/retry-after.js';

/** What was being done, so a 404 can say which thing was missing. */
export type GraphTarget = 'user' | 'message' | 'subscription' | 'delta' | 'other';

export const ACCESS_REMEDY =
  'An Exchange admin must give the Mailroom app access to this mailbox: with Exchange RBAC for Applications ' +
  '(New-ManagementScope, then New-ManagementRoleAssignment -App <app id> -Role "Application Mail.ReadWrite" ' +
  '-CustomResourceScope <scope>), or in older tenants with an application access policy ' +
  '(New-ApplicationAccessPolicy). Also check that the app has the Mail.ReadWrite, Mail.Read and ' +
  'MailboxSettings.Read application permissions (docs/admin.md, sections 2 and 3).';

/** Turns whatever the Graph client threw into a MailroomError with a remedy. One place, every call. */
export function graphFailure(err: unknown, target: GraphTarget, what: string): MailroomError {
  if (err instanceof MailroomError) return err;
  if (!(err instanceof GraphError)) {
    return new MailroomError('graph_error', `${what}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const status = err.statusCode;
  const code = err.code ?? '';
  const base = { cause: err, status };
  const detail = `${what}: ${status} ${code} ${err.message}`.trim();
  if (status === -1 || status === 0) {
    return new MailroomError('graph_unavailable', `${what}: Graph could not be reached (${err.message})`, {
      ...base,
      remedy: 'Check the network path to GRAPH_BASE_URL; Mailroom will try again.',
    });
  }
  if (target === 'delta' && (status === 410 || code.toLowerCase() === 'syncstatenotfound')) {
    // https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
    return new MailroomError('graph_delta_reset', detail, {
      ...base,
      remedy: 'The stored deltaLink expired; start the folder again from the last mail seen.',
    });
  }
  if (status === 401) {
    return new MailroomError('graph_auth_failed', detail, {
      ...base,
      remedy: 'Graph refused the app token. Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET.',
    });
  }
  if (status === 403) return new MailroomError('graph_access_denied', detail, { ...base, remedy: ACCESS_REMEDY });
  if (status === 404 && target === 'user') {
    return new MailroomError('graph_mailbox_not_found', detail, {
      ...base,
      remedy: 'Check the address for typos, and that it is a mailbox (shared or user) in this Microsoft 365 tenant.',
    });
  }
  if (status === 404 && target === 'subscription') {
    return new MailroomError('graph_subscription_not_found', detail, {
      ...base,
      remedy: 'Graph no longer has this subscription; create it again and catch up with delta.',
    });
  }
  const after = retryAfterSeconds(err.headers?.get('Retry-After'), new Date());
  const timing = after === undefined ? {} : { retryAfterSeconds: after };
  if (status === 429) {
    return new MailroomError('graph_throttled', detail, {
      ...base,
      ...timing,
      remedy: 'Graph is throttling this mailbox; Mailroom waits and tries again.',
    });
  }
  if (status >= 500) {
    return new MailroomError('graph_unavailable', detail, {
      ...base,
      ...timing,
      remedy: 'Graph is unavailable for now; Mailroom will try again.',
    });
  }
  return new MailroomError('graph_error', detail, base);
}

export function isGraphStatus(err: unknown, status: number): boolean {
  return err instanceof GraphError && err.statusCode === status;
}
