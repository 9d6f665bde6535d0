import type { RecordRef, RecordSuggestion, RecordType } from '../core/ports.js';
import type { NetSuiteClient } from './client.js';
import { caseName, type EntityRow, opportunityName, type Row, toEntity } from './rows.js';
import {
  customersByIdQuery,
  ENTITY_TABLES,
  type EntityTable,
  entitiesByEmailQuery,
  isValidEmail,
  openCasesQuery,
  openOpportunitiesQuery,
} from './suiteql.js';

/** What has been learnt so far; read whenever the budget runs out. */
interface Found {
  entities: Map<EntityTable, EntityRow[]>;
  companies: Map<string, EntityRow>;
  cases: Row[];
  opportunities: Row[];
}

const TYPE_WORD: Record<EntityTable, string> = {
  contact: 'contact',
  customer: 'customer',
  vendor: 'vendor',
  partner: 'partner',
};

/** Normalized, valid, distinct addresses. */
export function cleanAddresses(addresses: string[]): string[] {
  return [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter((a) => isValidEmail(a)))];
}

/** The best entity for one address, in the order contact ▸ customer ▸ vendor ▸ partner. */
export function bestMatch(found: Map<EntityTable, EntityRow[]>, address: string): [EntityTable, EntityRow] | null {
  for (const table of ENTITY_TABLES) {
    const hit = found.get(table)?.find((e) => e.email === address);
    if (hit) return [table, hit];
  }
  return null;
}

/**
 * Finds records for the people on an email, plus their company's open cases and opportunities. Two rounds of
 * queries run in parallel; when the budget runs out, whatever has arrived is returned and the rest is cancelled.
 */
export async function suggestRecords(
  client: NetSuiteClient,
  rawAddresses: string[],
  opts: { budgetMs?: number; onError?: (err: unknown) => void } = {},
): Promise<RecordSuggestion[]> {
  const addresses = cleanAddresses(rawAddresses);
  if (addresses.length === 0) return [];
  const found: Found = { entities: new Map(), companies: new Map(), cases: [], opportunities: [] };
  const abort = new AbortController();
  const work = collect(client, addresses, found, abort.signal, opts.onError ?? (() => undefined));
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, opts.budgetMs ?? 900);
  });
  try {
    await Promise.race([work, budget]);
  } finally {
    clearTimeout(timer);
    abort.abort();
    // The abandoned work rejects with AbortError; it has nothing left to tell anyone.
    work.catch(() => undefined);
  }
  return present(addresses, found);
}

async function collect(
  client: NetSuiteClient,
  addresses: string[],
  found: Found,
  signal: AbortSignal,
  onError: (err: unknown) => void,
) {
  // One failed query costs its own suggestions only; the failure is reported, never swallowed.
  const settle = async (results: Promise<PromiseSettledResult<void>[]>) => {
    for (const r of await results) if (r.status === 'rejected' && !signal.aborted) onError(r.reason);
  };
  await settle(
    Promise.allSettled(
      ENTITY_TABLES.map(async (table) => {
        const rows = await client.suiteql<Row>(entitiesByEmailQuery(table, addresses), { limit: 50, signal });
        found.entities.set(table, rows.items.map(toEntity));
      }),
    ),
  );
  const companyIds = new Set<string>();
  const contactCompanies = new Set<string>();
  for (const a of addresses) {
    const m = bestMatch(found.entities, a);
    if (!m) continue;
    const [table, e] = m;
    if (table === 'customer') {
      companyIds.add(e.id);
      found.companies.set(e.id, e);
    } else if (table === 'contact' && e.company) {
      companyIds.add(e.company);
      contactCompanies.add(e.company);
    }
  }
  if (companyIds.size === 0) return;
  const ids = [...companyIds];
  await settle(
    Promise.allSettled([
      contactCompanies.size > 0
        ? client.suiteql<Row>(customersByIdQuery([...contactCompanies]), { limit: 50, signal }).then((r) => {
            for (const c of r.items.map(toEntity)) found.companies.set(c.id, c);
          })
        : Promise.resolve(),
      client.suiteql<Row>(openCasesQuery(ids), { limit: 20, signal }).then((r) => {
        found.cases = r.items;
      }),
      client.suiteql<Row>(openOpportunitiesQuery(ids), { limit: 20, signal }).then((r) => {
        found.opportunities = r.items;
      }),
    ]),
  );
}

function present(addresses: string[], found: Found): RecordSuggestion[] {
  const out: RecordSuggestion[] = [];
  const seen = new Set<string>();
  const add = (ref: RecordRef, reason: string) => {
    const key = `${ref.type}:${ref.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...ref, reason });
  };
  const companyName = (id: string) => found.companies.get(id)?.name ?? `customer ${id}`;
  for (const address of addresses) {
    const m = bestMatch(found.entities, address);
    if (!m) continue;
    const [table, e] = m;
    add({ type: table as RecordType, id: e.id, name: e.name }, `${address} is this ${TYPE_WORD[table]}'s email`);
    if (table === 'contact' && e.company && found.companies.has(e.company)) {
      add({ type: 'customer', id: e.company, name: companyName(e.company) }, `${e.name} (${address}) works here`);
    }
  }
  for (const c of found.cases) {
    const company = c.company ?? '';
    add({ type: 'supportcase', id: c.id ?? '', name: caseName(c) }, `open case of ${companyName(company)}`);
  }
  for (const o of found.opportunities) {
    const company = o.entity ?? '';
    add(
      { type: 'opportunity', id: o.id ?? '', name: opportunityName(o) },
      `open opportunity of ${companyName(company)}`,
    );
  }
  return out;
}
