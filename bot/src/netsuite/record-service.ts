import type {
  RecordRef,
  RecordService,
  RecordSuggestion,
  RecordType,
  SaveEmailInput,
  SaveEmailResult,
} from '../core/ports.js';
import type { Logger } from '../log.js';
import type { AttachmentWriter } from './attachments.js';
import type { NetSuiteClient } from './client.js';
import { REST_TYPES, recordUrl, TYPE_LABELS } from './record-links.js';
import { type Row, toEntity } from './rows.js';
import { saveEmail } from './save-email.js';
import { searchRecords } from './search.js';
import { bestMatch, cleanAddresses, suggestRecords } from './suggest.js';
import { ENTITY_TABLES, entitiesByEmailQuery } from './suiteql.js';

export interface RecordSummary {
  type: RecordType;
  id: string;
  name: string;
  typeLabel: string;
  url: string;
  /** A few labelled fields for an unfurl card, in display order. */
  facts: Array<{ title: string; value: string }>;
}

/** Fields shown when a NetSuite link is unfurled, per record type (REST field names). */
const SUMMARY_FIELDS: Record<RecordType, Array<[string, string]>> = {
  customer: [
    ['companyName', 'Company'],
    ['email', 'Email'],
    ['phone', 'Phone'],
    ['entityStatus', 'Status'],
  ],
  contact: [
    ['entityId', 'Name'],
    ['email', 'Email'],
    ['phone', 'Phone'],
    ['company', 'Company'],
  ],
  vendor: [
    ['companyName', 'Company'],
    ['email', 'Email'],
    ['phone', 'Phone'],
  ],
  partner: [
    ['companyName', 'Company'],
    ['email', 'Email'],
    ['phone', 'Phone'],
  ],
  supportcase: [
    ['caseNumber', 'Case'],
    ['title', 'Subject'],
    ['status', 'Status'],
    ['company', 'Company'],
  ],
  opportunity: [
    ['tranId', 'Number'],
    ['title', 'Title'],
    ['entityStatus', 'Status'],
    ['entity', 'Customer'],
  ],
  transaction: [
    ['tranId', 'Number'],
    ['entity', 'Customer'],
    ['status', 'Status'],
    ['total', 'Total'],
  ],
};

/** A reference field comes back as `{id, refName}`; show its name. */
function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as { refName?: unknown; id?: unknown };
    return String(v.refName ?? v.id ?? '');
  }
  return String(value);
}

/** RecordService over NetSuite REST + SuiteQL. */
export class NetSuiteRecordService implements RecordService {
  readonly configured = true;
  readonly setupRemedy = '';

  constructor(
    private readonly client: NetSuiteClient,
    private readonly opts: { uiBaseUrl: string; attachments: AttachmentWriter | null; log: Logger },
  ) {}

  suggest(addresses: string[], opts: { budgetMs?: number } = {}): Promise<RecordSuggestion[]> {
    return suggestRecords(this.client, addresses, { ...opts, onError: (err) => this.warn('suggest', err) });
  }

  search(text: string, opts: { limit?: number; budgetMs?: number } = {}): Promise<RecordRef[]> {
    return searchRecords(this.client, text, { ...opts, onError: (err) => this.warn('search', err) });
  }

  async matchSender(address: string): Promise<RecordRef | null> {
    const [clean] = cleanAddresses([address]);
    if (!clean) return null;
    const found = new Map(
      await Promise.all(
        ENTITY_TABLES.map(async (table) => {
          const page = await this.client.suiteql<Row>(entitiesByEmailQuery(table, [clean]), { limit: 5 });
          return [table, page.items.map(toEntity)] as const;
        }),
      ),
    );
    const m = bestMatch(found, clean);
    return m ? { type: m[0], id: m[1].id, name: m[1].name } : null;
  }

  saveEmail(input: SaveEmailInput): Promise<SaveEmailResult> {
    return saveEmail(this.client, this.opts.attachments, input);
  }

  recordUrl(ref: { type: RecordType; id: string }): string {
    return recordUrl(this.opts.uiBaseUrl, ref);
  }

  /** Key fields of one record, for link unfurling. */
  async getRecordSummary(type: RecordType, id: string): Promise<RecordSummary> {
    const fields = SUMMARY_FIELDS[type];
    const rec = await this.client.get<Record<string, unknown>>(REST_TYPES[type], id);
    const facts = fields.map(([field, title]) => ({ title, value: display(rec[field]) })).filter((f) => f.value !== '');
    const name =
      display(rec.companyName) || display(rec.entityId) || display(rec.title) || display(rec.tranId) || `#${id}`;
    return { type, id, name, typeLabel: TYPE_LABELS[type], url: this.recordUrl({ type, id }), facts };
  }

  private warn(what: string, err: unknown): void {
    this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, `netsuite ${what} query failed`);
  }
}
