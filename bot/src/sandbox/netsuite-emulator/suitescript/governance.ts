import { suiteError } from './error.js';

/**
 * SuiteScript's usage units: a RESTlet call has 5,000 (RESTlet Governance and Security, O:section_4640094112);
 * each API call spends its units (SuiteScript 2.x API Governance, O:section_157072844224), and a call that would go
 * past the limit throws SSS_USAGE_LIMIT_EXCEEDED.
 */
export const UNITS = {
  recordCreate: 5,
  recordLoad: 5,
  recordSave: 10,
  recordAttach: 10,
  fileLoad: 10,
  fileSave: 20,
  searchGetRange: 10,
  runSuiteQL: 10,
} as const;

export class Governance {
  private left = 0;

  constructor(private readonly limit = 5000) {
    this.left = limit;
  }

  /** A new script execution: the full allowance again. */
  reset(): void {
    this.left = this.limit;
  }

  use(units: number): void {
    if (units > this.left) {
      throw suiteError('SSS_USAGE_LIMIT_EXCEEDED', 'Script Execution Usage Limit Exceeded');
    }
    this.left -= units;
  }

  remaining(): number {
    return this.left;
  }
}
