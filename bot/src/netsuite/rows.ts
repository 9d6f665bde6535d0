/** SuiteQL rows come back with lower-case column names and every value as a string (or absent when null). */
export type Row = Record<string, string | undefined>;

export interface EntityRow {
  id: string;
  name: string;
  email: string;
  /** A contact's company. */
  company: string | undefined;
}

export function toEntity(row: Row): EntityRow {
  return {
    id: row.id ?? '',
    name: row.companyname || row.entityid || row.email || `#${row.id ?? ''}`,
    email: (row.email ?? '').toLowerCase(),
    company: row.company || undefined,
  };
}

export function caseName(row: Row): string {
  return row.casenumber ? `Case #${row.casenumber}: ${row.title ?? ''}`.trim() : (row.title ?? `Case ${row.id ?? ''}`);
}

export function opportunityName(row: Row): string {
  const title = row.title || 'Opportunity';
  return row.tranid ? `${title} (#${row.tranid})` : title;
}

const TRAN_LABELS: Record<string, string> = {
  SalesOrd: 'Sales order',
  CustInvc: 'Invoice',
  Estimate: 'Quote',
  Opprtnty: 'Opportunity',
  PurchOrd: 'Purchase order',
  CashSale: 'Cash sale',
  RtnAuth: 'Return authorization',
};

export function transactionName(row: Row): string {
  const label = TRAN_LABELS[row.type ?? ''] ?? 'Transaction';
  const base = row.tranid ? `${label} #${row.tranid}` : `${label} ${row.id ?? ''}`;
  return row.title ? `${base}: ${row.title}` : base;
}
