import type { RecordRef } from '../core/ports.js';
import type { NetSuiteClient } from './client.js';
import { caseName, type Row, toEntity, transactionName } from './rows.js';
import { type SearchTable, searchQuery } from './suiteql.js';

const TABLES: SearchTable[] = ['customer', 'contact', 'supportcase', 'transaction'];

/** Teams shows at most 15 typeahead choices. */
export const MAX_SEARCH_RESULTS = 15;

function toRef(table: SearchTable, row: Row): RecordRef {
  const id = row.id ?? '';
  switch (table) {
    case 'customer':
      return { type: 'customer', id, name: toEntity(row).name };
    case 'contact': {
      const e = toEntity({ ...row, companyname: undefined });
      return { type: 'contact', id, name: e.email ? `${e.name} <${e.email}>` : e.name };
    }
    case 'supportcase':
      return { type: 'supportcase', id, name: caseName(row) };
    case 'transaction':
      return { type: row.type === 'Opprtnty' ? 'opportunity' : 'transaction', id, name: transactionName(row) };
  }
}

/**
 * Typeahead over customers, contacts, cases, opportunities and transactions by name, email or number. The
 * tables are queried in parallel and interleaved; when the budget runs out, what has arrived is the answer
 * (a partial list beats a typeahead that times out).
 */
export async function searchRecords(
  client: NetSuiteClient,
  text: string,
  opts: { limit?: number; budgetMs?: number; onError?: (err: unknown) => void } = {},
): Promise<RecordRef[]> {
  const query = text.trim();
  if (query.length < 2) return [];
  const limit = Math.min(MAX_SEARCH_RESULTS, Math.max(1, opts.limit ?? MAX_SEARCH_RESULTS));
  const results = new Map<SearchTable, RecordRef[]>();
  const abort = new AbortController();
  const work = Promise.allSettled(
    TABLES.map(async (table) => {
      const page = await client.suiteql<Row>(searchQuery(table, query), { limit, signal: abort.signal });
      results.set(
        table,
        page.items.map((r) => toRef(table, r)),
      );
    }),
  ).then((settled) => {
    for (const r of settled) if (r.status === 'rejected' && !abort.signal.aborted) opts.onError?.(r.reason);
  });
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, opts.budgetMs ?? 2_500);
  });
  try {
    await Promise.race([work, budget]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return interleave(TABLES.map((t) => results.get(t) ?? [])).slice(0, limit);
}

function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const l of lists) {
      const item = l[i];
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}
