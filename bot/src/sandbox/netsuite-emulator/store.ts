import type { SeedRecord } from '../netsuite-seed.js';
import type { SqlRow } from './suiteql-eval.js';

export interface StoredRecord {
  type: string;
  id: string;
  fields: Record<string, unknown>;
}

/** REST record types that SuiteQL sees in the `transaction` table, with their type codes. */
const TRANSACTION_CODES: Record<string, string> = {
  opportunity: 'Opprtnty',
  salesOrder: 'SalesOrd',
  invoice: 'CustInvc',
  estimate: 'Estimate',
};

/** The SuiteQL table a REST record type lives in. */
export function tableOf(type: string): string {
  if (type in TRANSACTION_CODES) return 'transaction';
  return type.toLowerCase();
}

/** A reference `{id, refName}` is a plain id in SuiteQL; every value is a string there. */
function toSql(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') {
    const id = (value as { id?: unknown }).id;
    return id === undefined ? undefined : String(id);
  }
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  return String(value);
}

/** What a restart of the sandbox keeps: every record (seeded ones too, as they are now), and what is attached. */
export interface SavedRecords {
  records: StoredRecord[];
  nextId: number;
  attachments: Array<[string, string[]]>;
}

/** The account's records, by REST type and id. Ids are unique across the whole account, as transaction ids are. */
export class RecordStore {
  private readonly byType = new Map<string, Map<string, StoredRecord>>();
  private nextId = 10_000;
  /** Files attached to messages: message id → file ids. */
  readonly attachments = new Map<string, string[]>();
  /**
   * Test-only faults: a File Cabinet save whose name ends with a key here fails (as a transient NetSuite error)
   * that many more times. Never saved with the state; empty unless a test sets it.
   */
  readonly fileSaveFaults = new Map<string, number>();

  constructor(seed: SeedRecord[]) {
    for (const r of seed) this.put({ type: r.type, id: r.id, fields: { ...r.fields } });
  }

  snapshot(): SavedRecords {
    return {
      records: [...this.byType.values()].flatMap((m) => [...m.values()]),
      nextId: this.nextId,
      attachments: [...this.attachments.entries()],
    };
  }

  /** Records saved earlier win over the seed's; records the seed added since stay. */
  restore(saved: SavedRecords): number {
    for (const r of saved.records) this.put(r);
    this.nextId = Math.max(this.nextId, saved.nextId);
    for (const [k, v] of saved.attachments) this.attachments.set(k, v);
    return saved.records.length;
  }

  put(rec: StoredRecord): void {
    let m = this.byType.get(rec.type);
    if (!m) {
      m = new Map();
      this.byType.set(rec.type, m);
    }
    m.set(rec.id, rec);
  }

  create(type: string, fields: Record<string, unknown>): StoredRecord {
    const rec = { type, id: String(this.nextId++), fields };
    this.put(rec);
    return rec;
  }

  get(type: string, id: string): StoredRecord | undefined {
    if (type === 'transaction') {
      for (const t of Object.keys(TRANSACTION_CODES)) {
        const hit = this.byType.get(t)?.get(id);
        if (hit) return hit;
      }
      return undefined;
    }
    return this.byType.get(type)?.get(id);
  }

  all(type: string): StoredRecord[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  findByExternalId(type: string, externalId: string): StoredRecord | undefined {
    return this.all(type).find((r) => r.fields.externalId === externalId);
  }

  /** Rows of one SuiteQL table: lower-cased field names, references flattened to ids. */
  rows(table: string): SqlRow[] {
    const out: SqlRow[] = [];
    for (const [type, m] of this.byType) {
      if (tableOf(type) !== table) continue;
      for (const rec of m.values()) {
        const row: SqlRow = { id: rec.id };
        for (const [k, v] of Object.entries(rec.fields)) row[k.toLowerCase()] = toSql(v);
        if (table === 'transaction') {
          row.type = TRANSACTION_CODES[type];
          // SuiteQL's transaction table calls the REST `total` foreigntotal (the transaction currency's amount).
          row.foreigntotal = row.total;
        }
        out.push(row);
      }
    }
    return out;
  }

  knownTable(table: string): boolean {
    return ['customer', 'contact', 'vendor', 'partner', 'supportcase', 'transaction', 'message', 'file'].includes(
      table,
    );
  }
}
