import type { MessagingExtensionResult } from 'botbuilder';
import type { Logger } from 'pino';
import type { NetSuiteRecords, RecordSummary } from '../../netsuite/index.js';
import { recordTypeLabel } from '../cards/labels.js';
import { unfurlCard } from '../cards/unfurl-card.js';
import { recordAttachment } from './record-attachment.js';
import { parseRecordLink } from './record-link.js';
import { withinBudget } from './within-budget.js';

export interface UnfurlDeps {
  records: NetSuiteRecords;
  log: Logger;
  /** UI hosts of our NetSuite account; links to any other host are not ours to read. */
  accountHosts: string[];
  budgetMs: number;
}

/** No unfurl: Teams then shows the plain link, with nothing in the chat about why. */
const NONE: MessagingExtensionResult = { type: 'result', attachmentLayout: 'list', attachments: [] };

/**
 * A pasted NetSuite record link becomes a card (version 1.3) with the record's key fields. A link we cannot
 * read (another account, an unknown record, no permission, NetSuite too slow) gets no unfurl rather than an
 * error in someone's chat; the reason is logged.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/link-unfurling
 */
export async function unfurlLink(deps: UnfurlDeps, url: string): Promise<MessagingExtensionResult> {
  const link = parseRecordLink(url, deps.accountHosts);
  // A saved email (crmmessage.nl) has no summary in the record service yet, so it is left as a plain link.
  if (!link || link.type === 'message' || !deps.records.configured) return NONE;
  const log = deps.log.child({ record: `${link.type}:${link.id}` });
  const type = link.type;
  const summary = await withinBudget<RecordSummary | null>(
    deps.records.getRecordSummary(type, link.id).catch((err: unknown) => {
      log.info({ err }, 'link not unfurled: the record could not be read');
      return null;
    }),
    deps.budgetMs,
    null,
    (err) => log.info({ err }, 'late record read failed'),
  );
  const s = summary.value;
  if (!s) {
    if (summary.late) log.info('link not unfurled: NetSuite did not answer in time');
    return NONE;
  }
  const input = {
    type,
    id: link.id,
    name: s.name,
    url: s.url,
    facts: s.facts,
    subtitle: `${recordTypeLabel(type)} · #${link.id}`,
  };
  return { type: 'result', attachmentLayout: 'list', attachments: [recordAttachment(input, unfurlCard(input))] };
}
