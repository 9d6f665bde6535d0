import { MailroomError } from '../core/errors.js';
import type { RecordRef, RecordService, RecordSuggestion, RecordType, SaveEmailResult } from '../core/ports.js';
import type { RecordSummary } from './record-service.js';

/** Stands in for NetSuite until an admin sets it up: suggests nothing and says what is missing. */
export class NotConfiguredRecordService implements RecordService {
  readonly configured = false;

  constructor(readonly setupRemedy: string) {}

  async suggest(): Promise<RecordSuggestion[]> {
    return [];
  }

  async search(): Promise<RecordRef[]> {
    return [];
  }

  async matchSender(): Promise<RecordRef | null> {
    return null;
  }

  async saveEmail(): Promise<SaveEmailResult> {
    throw this.error();
  }

  recordUrl(_ref: { type: RecordType; id: string }): string {
    return '';
  }

  async getRecordSummary(): Promise<RecordSummary> {
    throw this.error();
  }

  private error(): MailroomError {
    return new MailroomError('netsuite_not_configured', 'NetSuite is not configured', { remedy: this.setupRemedy });
  }
}

/**
 * What a person in Teams is told while NetSuite is not connected: short, so a card never cuts it off, and naming
 * what the admin must set. The whole list of settings goes to the log at startup (`missingSettingsRemedy`).
 */
export function notConnectedRemedy(accountId: string): string {
  const what =
    accountId.trim() === ''
      ? 'NETSUITE_ACCOUNT_ID and the M2M (or TBA) credentials'
      : 'the M2M (or TBA) credentials for NetSuite';
  return `Ask your Mailroom admin to set ${what} (admin guide, step 4) and restart Mailroom.`;
}

/** Which settings are missing, in words an admin can act on. */
export function missingSettingsRemedy(accountId: string): string {
  const steps = [
    accountId.trim() === '' ? 'set NETSUITE_ACCOUNT_ID' : undefined,
    'set either NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and NETSUITE_PRIVATE_KEY (or NETSUITE_PRIVATE_KEY_FILE) for OAuth 2.0 machine-to-machine (preferred), or NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID and NETSUITE_TOKEN_SECRET for token-based authentication',
    'optionally set NETSUITE_FOLDER_ID to the File Cabinet folder for attachments',
  ].filter((s): s is string => s !== undefined);
  return `An admin must connect NetSuite: ${steps.join('; ')}. Then restart Mailroom.`;
}
