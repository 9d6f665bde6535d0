/** The NetSuite record types Mailroom saves to, in the order pickers list them. */
export const RECORD_TYPES = [
  'contact',
  'customer',
  'vendor',
  'partner',
  'supportcase',
  'opportunity',
  'transaction',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** A NetSuite record a save can attach to. */
export interface RecordRef {
  type: RecordType;
  id: string;
  name: string;
}

export interface RecordSuggestion extends RecordRef {
  /** Why it was offered, in words: "sender ana@fabrikam.com is this contact". */
  reason: string;
}
