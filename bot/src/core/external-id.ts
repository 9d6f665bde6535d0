import { createHash } from 'node:crypto';
import type { RecordType } from './record-ref.js';

/**
 * The NetSuite externalId of one (email, record) save. Deterministic, so a retry after a crash finds the
 * message it already created. External ids may hold only letters, digits, `_` and `-`, so the Message-ID is
 * hashed rather than used as is.
 */
export function externalIdFor(
  tenantId: string,
  internetMessageId: string,
  recordType: RecordType,
  recordId: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([tenantId, internetMessageId.trim(), recordType, recordId]))
    .digest('base64url');
  // base64url uses only A–Z, a–z, 0–9, `-` and `_`: exactly the allowed set.
  return `mr_${digest}`;
}
