import type { RecordType } from '../../core/ports.js';

/** A NetSuite UI page, by its file name, and the record type it shows. */
const PAGES: Record<string, RecordType | 'message'> = {
  'custjob.nl': 'customer',
  'contact.nl': 'contact',
  'vendor.nl': 'vendor',
  'partner.nl': 'partner',
  'supportcase.nl': 'supportcase',
  'opprtnty.nl': 'opportunity',
  'crmmessage.nl': 'message',
  // Each transaction type has its own page; the REST `transaction` lookup finds any of them by id.
  'transaction.nl': 'transaction',
  'salesord.nl': 'transaction',
  'custinvc.nl': 'transaction',
  'estimate.nl': 'transaction',
  'cashsale.nl': 'transaction',
  'custcred.nl': 'transaction',
  'custpymt.nl': 'transaction',
  'itemship.nl': 'transaction',
  'rtnauth.nl': 'transaction',
};

export interface RecordLink {
  type: RecordType | 'message';
  id: string;
}

/**
 * The record a NetSuite UI link points at (`https://<acct>.app.netsuite.com/app/common/entity/custjob.nl?id=101`),
 * or null. Only hosts of our own account count: the same id in another account is another record, and reading
 * ours in its place would show the wrong one.
 */
export function parseRecordLink(raw: string, accountHosts: string[]): RecordLink | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch (err) {
    if (err instanceof TypeError) return null;
    throw err;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.host.toLowerCase();
  if (!accountHosts.some((h) => h.toLowerCase() === host)) return null;
  const page = url.pathname.split('/').pop()?.toLowerCase() ?? '';
  const type = PAGES[page];
  const id = url.searchParams.get('id') ?? '';
  if (!type || !/^\d{1,12}$/.test(id)) return null;
  return { type, id };
}

/** `TSTDRV1234_SB1` → `tstdrv1234-sb1.app.netsuite.com`, the UI host of the account. */
export function accountUiHost(accountId: string): string {
  return `${accountId.trim().toLowerCase().replace(/_/g, '-')}.app.netsuite.com`;
}
