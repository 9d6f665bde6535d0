import type { Actor } from './audit.js';
import type { RecordRef } from './record-ref.js';

export type AssociationStatus = 'pending' | 'saving' | 'saved' | 'partial' | 'failed';

/** One save of one email to one NetSuite record, unique per (tenant, internetMessageId, record). */
export interface Association {
  id: string;
  tenantId: string;
  emailId: string;
  internetMessageId: string;
  record: RecordRef;
  savedBy: Actor;
  mode: 'one-time' | 'autopilot';
  ruleId: string | null;
  status: AssociationStatus;
  externalId: string;
  netsuiteMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attachments: Array<{ name: string; status: string; reason?: string }>;
  createdAt: string;
  updatedAt: string;
}

/** Saves as rows: the unique key is what makes a save happen once, whoever asks first. */
export interface AssociationStore {
  /**
   * Inserts the save of the (message, record) pair unless it exists. Returns the row and whether this call created
   * it. (Not a "claim": that word is a person's claim on an email, core/claims.ts.)
   */
  insertIfNew(input: {
    tenantId: string;
    emailId: string;
    internetMessageId: string;
    record: RecordRef;
    savedBy: Actor;
    mode: 'one-time' | 'autopilot';
    ruleId: string | null;
    externalId: string;
    now: string;
  }): Promise<{ association: Association; created: boolean }>;
  byId(tenantId: string, id: string): Promise<Association | null>;
  /** Every save of this message, whichever mailbox's copy it was made from. */
  forMessage(tenantId: string, internetMessageId: string): Promise<Association[]>;
  markSaved(
    tenantId: string,
    id: string,
    out: { netsuiteMessageId: string; attachments: Association['attachments']; now: string },
  ): Promise<void>;
  markFailed(tenantId: string, id: string, err: { code: string; message: string; now: string }): Promise<void>;
  /** Takes the save for one attempt; null when someone else holds it or it is done. */
  begin(tenantId: string, id: string, now: string, staleMs: number): Promise<Association | null>;
  /**
   * Puts a failed or partial save back to pending for a retry; false when it is neither any more (someone retried
   * first). Whether a partial save is worth retrying is `canRetry`'s to say.
   */
  reopen(tenantId: string, id: string, now: string): Promise<boolean>;
}

/** A file of a saved message that failed and may succeed on another try (an oversized one would not). */
function failedPart(f: Association['attachments'][number]): boolean {
  return f.status === 'failed';
}

/** Whether Retry can help: a failed save, or a saved message some of whose attachments failed. */
export function canRetry(a: Pick<Association, 'status' | 'attachments'>): boolean {
  return a.status === 'failed' || (a.status === 'partial' && a.attachments.some(failedPart));
}
