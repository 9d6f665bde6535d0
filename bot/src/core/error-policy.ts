import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

export interface ErrorPolicy {
  /** Worth trying again later: the fault is passing (throttling, outage). */
  retry: boolean;
  level: 'warn' | 'error';
}

/**
 * For an error code, whether a job retries it and how loudly it logs: the catalogue's `retryable`. A failure that
 * will not pass (a refusal, a defect: `internal`) fails the job at once, its reason kept.
 */
export function errorPolicy(code: ErrorCode): ErrorPolicy {
  return ERROR_CATALOGUE[code].retryable ? { retry: true, level: 'warn' } : { retry: false, level: 'error' };
}
