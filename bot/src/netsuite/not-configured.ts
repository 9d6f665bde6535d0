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

/** Which settings are missing, in words an admin can act on. */
export function missingSettingsRemedy(accountId: string): string {
  const steps = [
    accountId.trim() === '' ? 'set NETSUITE_ACCOUNT_ID' : undefined,
    'set either NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and NETSUITE_PRIVATE_KEY (or NETSUITE_PRIVATE_KEY_FILE) for OAuth 2.0 machine-to-machine (preferred), or NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID and NETSUITE_TOKEN_SECRET for token-based authentication',
    'optionally set NETSUITE_FOLDER_ID to the File Cabinet folder for attachments',
  ].filter((s): s is string => s !== undefined);
  return `An admin must connect NetSuite: ${steps.join('; ')}. Then restart Mailroom.`;
}
