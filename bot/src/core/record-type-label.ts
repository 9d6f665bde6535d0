import type { RecordType } from './record-ref.js';

/** The one table of words for a NetSuite record type, wherever a person reads one: cards, dialogs, unfurls. */
export const RECORD_TYPE_LABELS: Readonly<Record<RecordType, string>> = {
  customer: 'Customer',
  contact: 'Contact',
  vendor: 'Vendor',
  partner: 'Partner',
  supportcase: 'Support case',
  opportunity: 'Opportunity',
  transaction: 'Transaction',
};

export function recordTypeLabel(type: RecordType): string {
  return RECORD_TYPE_LABELS[type];
}
