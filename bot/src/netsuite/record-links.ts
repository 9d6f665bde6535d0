import type { RecordType } from '../core/ports.js';

/** Where each record opens in the NetSuite UI (`https://<acct>.app.netsuite.com` + path + id). */
const UI_PATHS: Record<RecordType | 'message', string> = {
  customer: '/app/common/entity/custjob.nl?id=',
  contact: '/app/common/entity/contact.nl?id=',
  vendor: '/app/common/entity/vendor.nl?id=',
  partner: '/app/common/entity/partner.nl?id=',
  supportcase: '/app/crm/support/supportcase.nl?id=',
  opportunity: '/app/accounting/transactions/opprtnty.nl?id=',
  transaction: '/app/accounting/transactions/transaction.nl?id=',
  message: '/app/crm/common/crmmessage.nl?id=',
};

/** `123456_SB1` → `https://123456-sb1.app.netsuite.com`. */
export function netsuiteUiBaseUrl(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.app.netsuite.com`;
}

export function recordUrl(uiBaseUrl: string, ref: { type: RecordType | 'message'; id: string }): string {
  return `${uiBaseUrl.replace(/\/+$/, '')}${UI_PATHS[ref.type]}${encodeURIComponent(ref.id)}`;
}

/** The REST record type behind each of Mailroom's record types (a transaction is read through SuiteQL instead). */
export const REST_TYPES: Record<RecordType, string> = {
  customer: 'customer',
  contact: 'contact',
  vendor: 'vendor',
  partner: 'partner',
  supportcase: 'supportCase',
  opportunity: 'opportunity',
  transaction: 'transaction',
};

/** Which field of a `message` links it to a record of this type. */
export function messageLinkField(type: RecordType): 'entity' | 'activity' | 'transaction' {
  if (type === 'supportcase') return 'activity';
  if (type === 'opportunity' || type === 'transaction') return 'transaction';
  return 'entity';
}
