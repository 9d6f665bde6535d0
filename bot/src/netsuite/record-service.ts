import { MailroomError } from '../core/errors.js';
import type {
  RecordRef,
  RecordService,
  RecordSuggestion,
  RecordType,
  SaveEmailInput,
  SaveEmailResult,
} from '../core/ports.js';
import { recordTypeLabel } from '../core/record-type-label.js';
import type { Logger } from '../log.js';
import type { NetSuiteClient } from './client.js';
import { REST_TYPES, recordUrl } from './record-links.js';
import { type Row, toEntity } from './rows.js';
import { type RestletTarget, saveEmail } from './save-email.js';
import { searchRecords } from './search.js';
import { bestMatch, cleanAddresses, suggestRecords } from './suggest.js';
import { ENTITY_TABLES, entitiesByEmailQuery } from './suiteql.js';
import { transactionSummary } from './transaction-summary.js';

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
  // Read through SuiteQL instead (transaction-summary.ts): REST has no generic transaction record.
  transaction: [],
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

/** RecordService over NetSuite: SuiteQL and REST record reads, and saves through the SuiteApp's RESTlet. */
export class NetSuiteRecordService implements RecordService {
  readonly configured = true;
  readonly setupRemedy = '';

  constructor(
    private readonly client: NetSuiteClient,
    private readonly opts: {
      uiBaseUrl: string;
      /** The same auth and concurrency budget as `client`, at the RESTlet domain. */
      restlet: { client: NetSuiteClient; target: RestletTarget };
      log: Logger;
    },
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
    return saveEmail(this.opts.restlet.client, this.opts.restlet.target, input);
  }

  recordUrl(ref: { type: RecordType; id: string }): string {
    return recordUrl(this.opts.uiBaseUrl, ref);
  }

  /** Key fields of one record, for link unfurling. */
  async getRecordSummary(type: RecordType, id: string): Promise<RecordSummary> {
    const base = { type, id, typeLabel: recordTypeLabel(type), url: this.recordUrl({ type, id }) };
    if (type === 'transaction') {
      const t = await transactionSummary(this.client, id);
      if (!t) {
        throw new MailroomError('netsuite_not_found', `NetSuite has no transaction ${id}`, {
          status: 404,
          remedy: 'The NetSuite record no longer exists or Mailroom’s role cannot see it. Pick another record.',
        });
      }
      return { ...base, ...t };
    }
    const fields = SUMMARY_FIELDS[type];
    const rec = await this.client.get<Record<string, unknown>>(REST_TYPES[type], id);
    const facts = fields.map(([field, title]) => ({ title, value: display(rec[field]) })).filter((f) => f.value !== '');
    const name =
      display(rec.companyName) || display(rec.entityId) || display(rec.title) || display(rec.tranId) || `#${id}`;
    return { ...base, name, facts };
  }

  private warn(what: string, err: unknown): void {
    this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, `netsuite ${what} query failed`);
  }
}
