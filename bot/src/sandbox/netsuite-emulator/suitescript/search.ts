import type * as NSearch from '@hitc/netsuite-types/N/search.js';
import type { RecordStore, StoredRecord } from '../store.js';
import { suiteError } from './error.js';
import { type Governance, UNITS } from './governance.js';

/** Search fields the emulator answers, per search type, and the operators each takes. */
const FILTERS: Record<string, Record<string, string[]>> = {
  file: { name: ['is'], folder: ['anyof'], internalid: ['anyof'] },
};

type Filter = [string, string, ...string[]];

function parseFilters(type: string, filters: unknown[]): Filter[] {
  const out: Filter[] = [];
  filters.forEach((f, i) => {
    if (i % 2 === 1) {
      if (f !== 'AND') throw suiteError('SSS_INVALID_SRCH_FILTER_EXPR', 'Only AND joins are emulated.');
      return;
    }
    if (!Array.isArray(f) || f.length < 3 || !f.every((x) => typeof x === 'string')) {
      throw suiteError('SSS_INVALID_SRCH_FILTER_EXPR', `Malformed filter ${JSON.stringify(f)}.`);
    }
    const [field, op] = f as Filter;
    if (!FILTERS[type]?.[field]?.includes(op)) {
      throw suiteError('SSS_INVALID_SRCH_FILTER', `An nlobjSearchFilter contains invalid search criteria: ${field}.`);
    }
    out.push(f as Filter);
  });
  return out;
}

function matches(rec: StoredRecord, [field, op, ...values]: Filter): boolean {
  const v = field === 'internalid' ? rec.id : String(rec.fields[field] ?? '');
  if (op === 'is') return v.toLowerCase() === (values[0] ?? '').toLowerCase();
  return values.includes(v);
}

/** The in-memory N/search: `create(...).run().getRange()` over the File Cabinet. */
export function searchModule(store: RecordStore, governance: Governance) {
  const create = (options: NSearch.SearchCreateOptions) => {
    const type = String(options.type);
    if (!FILTERS[type]) throw suiteError('SSS_INVALID_RECORD_TYPE', `The search type ${type} is not emulated.`);
    const filters = parseFilters(type, (options.filters ?? []) as unknown[]);
    const hits = () => store.all(type).filter((r) => filters.every((f) => matches(r, f)));
    const toResult = (r: StoredRecord) => ({
      id: r.id,
      recordType: type,
      getValue: (col: string | { name: string }) => {
        const name = typeof col === 'string' ? col : col.name;
        return name === 'internalid' ? r.id : String(r.fields[name] ?? '');
      },
    });
    return {
      run: () => ({
        getRange: ({ start, end }: { start: number; end: number }) => {
          governance.use(UNITS.searchGetRange);
          if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end - start > 1000 || end < start) {
            throw suiteError('SSS_INVALID_SEARCH_RANGE', 'getRange takes at most 1000 results.');
          }
          return hits().slice(start, end).map(toResult);
        },
      }),
    };
  };
  return { create } as unknown as Pick<typeof NSearch, 'create'>;
}
