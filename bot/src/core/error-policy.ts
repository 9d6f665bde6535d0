import type { ErrorCode } from './errors.js';

export interface ErrorPolicy {
  /** Worth trying again later: the fault is passing (throttling, outage). */
  retry: boolean;
  level: 'warn' | 'error';
}

const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'graph_throttled',
  'graph_unavailable',
  'teams_throttled',
  'teams_unavailable',
  'netsuite_concurrency_limit',
  'netsuite_unavailable',
  'save_in_progress',
  'internal',
]);

/** The one place that says, for an error code, whether a job retries and how loudly it logs. */
export function errorPolicy(code: ErrorCode): ErrorPolicy {
  if (TRANSIENT.has(code)) return { retry: true, level: 'warn' };
  return { retry: false, level: 'error' };
}
