import type { MessagingExtensionResult } from 'botbuilder';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { RecordRef } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import type { NetSuiteRecords, RecordSummary } from '../../netsuite/index.js';
import type { Database } from '../../store/schema.js';
import { type RecordCardInput, recordResultCard } from '../cards/record-result-card.js';
import type { TurnInfo } from '../turn-info.js';
import { recentRecords } from './recent-records.js';
import { recordAttachment } from './record-attachment.js';
import { remaining, withinBudget } from './within-budget.js';

export interface SearchDeps {
  records: NetSuiteRecords;
  db: Kysely<Database>;
  log: Logger;
  /** Wall-clock budget of one answer; Teams gives up at 5 s, and the network needs the rest. */
  budgetMs: number;
}

/** Results that get their key fields fetched; the rest show name, type and link (NetSuite allows 5 calls at once). */
const DETAILED = 5;
const MAX_RESULTS = 15;

export function messageResult(text: string): MessagingExtensionResult {
  return { type: 'message', text };
}

/**
 * The "NetSuite" search command. An empty query (initialRun) lists the records this person saved to most
 * recently; otherwise NetSuite is searched by name, email or number. When NetSuite is slow, whatever arrived
 * within the budget is the answer: a partial list beats Teams showing an error.
 */
export async function searchCommand(
  deps: SearchDeps,
  turn: TurnInfo,
  query: { text: string; count: number; skip: number },
): Promise<MessagingExtensionResult> {
  const started = Date.now();
  const text = query.text.trim();
  const limit = Math.max(1, Math.min(MAX_RESULTS, query.count || MAX_RESULTS));
  // The search has no paging of its own: the first page holds every result there is.
  if (query.skip > 0) return { type: 'result', attachmentLayout: 'list', attachments: [] };
  let refs: RecordRef[];
  if (text === '') {
    refs = await recentRecords(deps.db, turn.tenantId, turn.user.id, limit);
    if (refs.length === 0) {
      return messageResult('Records you save emails to show up here. Type a name, email or number to search NetSuite.');
    }
  } else {
    if (!deps.records.configured) return messageResult(`NetSuite is not connected yet. ${deps.records.setupRemedy}`);
    if (text.length < 2) return messageResult('Type at least two characters to search NetSuite.');
    const searchBudget = Math.round(deps.budgetMs * 0.7);
    const found = await withinBudget(
      deps.records.search(text, { limit, budgetMs: searchBudget }),
      searchBudget + 200,
      [] as RecordRef[],
      (err) => deps.log.warn({ err }, 'record search failed after its budget'),
    );
    refs = found.value;
  }
  const cards = await Promise.all(
    refs.map((ref, i) => (i < DETAILED ? detailed(deps, ref, started) : plain(deps, ref))),
  );
  return {
    type: 'result',
    attachmentLayout: 'list',
    attachments: cards.map((c) => recordAttachment(c, recordResultCard(c))),
  };
}

function plain(deps: SearchDeps, ref: RecordRef): RecordCardInput {
  return { type: ref.type, id: ref.id, name: ref.name, url: deps.records.recordUrl(ref), facts: [] };
}

/** A record with its key fields, if NetSuite answers within what is left of the budget. */
async function detailed(deps: SearchDeps, ref: RecordRef, started: number): Promise<RecordCardInput> {
  if (!deps.records.configured) return plain(deps, ref);
  const summary = await withinBudget<RecordSummary | null>(
    deps.records.getRecordSummary(ref.type, ref.id).catch((err: unknown) => {
      deps.log.debug({ err, record: `${ref.type}:${ref.id}` }, 'record summary unavailable; showing the name only');
      return null;
    }),
    remaining(started, deps.budgetMs),
    null,
    (err) => deps.log.debug({ err }, 'late record summary failed'),
  );
  const s = summary.value;
  if (!s) return plain(deps, ref);
  return {
    type: ref.type,
    id: ref.id,
    name: ref.name || s.name,
    url: s.url || deps.records.recordUrl(ref),
    facts: s.facts,
    subtitle: `${recordTypeLabel(ref.type)} · #${ref.id}`,
  };
}
