import type * as NQuery from '@hitc/netsuite-types/N/query.js';
import type { RecordStore } from '../store.js';
import { runQuery } from '../suiteql-eval.js';
import { SuiteQLSyntaxError } from '../suiteql-lexer.js';
import { parseSuiteQL } from '../suiteql-parser.js';
import { suiteError } from './error.js';
import { type Governance, UNITS } from './governance.js';

/** Puts each `?` (outside string literals) back as an escaped literal, as NetSuite binds params. */
function bind(q: string, params: ReadonlyArray<string | number | boolean>): string {
  let out = '';
  let inString = false;
  let next = 0;
  for (const c of q) {
    if (c === "'") inString = !inString;
    if (c === '?' && !inString) {
      if (next >= params.length) throw suiteError('SSS_INVALID_QUERY_PARAMS', 'Fewer params than ? in the query.');
      out += `'${String(params[next++]).replace(/'/g, "''")}'`;
    } else out += c;
  }
  if (next !== params.length) throw suiteError('SSS_INVALID_QUERY_PARAMS', 'More params than ? in the query.');
  return out;
}

/** The in-memory N/query: `runSuiteQL` over the same tables the emulator's SuiteQL endpoint reads. */
export function queryModule(store: RecordStore, governance: Governance) {
  const runSuiteQL = (options: NQuery.RunSuiteQLOptions) => {
    governance.use(UNITS.runSuiteQL);
    let rows: ReturnType<typeof runQuery>;
    try {
      const parsed = parseSuiteQL(bind(options.query, options.params ?? []));
      if (!store.knownTable(parsed.table)) {
        throw suiteError('INVALID_SEARCH', `Invalid search query. Unknown record type: ${parsed.table}.`);
      }
      rows = runQuery(parsed, store.rows(parsed.table));
    } catch (err) {
      if (err instanceof SuiteQLSyntaxError) throw suiteError('INVALID_SEARCH', `Invalid search query. ${err.message}`);
      throw err;
    }
    return {
      results: rows.map((r) => ({ values: Object.values(r), asMap: () => ({ ...r }) })),
      asMappedResults: () => rows.map((r) => ({ ...r })),
    };
  };
  return { runSuiteQL } as unknown as Pick<typeof NQuery, 'runSuiteQL'>;
}
