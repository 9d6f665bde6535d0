import { CardFactory, type MessagingExtensionResult } from 'botbuilder';
import type { Logger } from 'pino';
import { personWords } from '../../core/error-words.js';
import { MailroomError } from '../../core/errors.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import type { NetSuiteRecords, RecordSummary } from '../../netsuite/index.js';
import { plainPreview } from '../cards/card-text.js';
import { unfurlCard } from '../cards/unfurl-card.js';
import { unfurlNoticeCard } from '../cards/unfurl-notice-card.js';
import { recordAttachment } from './record-attachment.js';
import { parseRecordLink } from './record-link.js';
import { withinBudget } from './within-budget.js';

export interface UnfurlDeps {
  records: NetSuiteRecords;
  log: Logger;
  /** UI hosts of our NetSuite account; links to any other host are not ours to read. The first is the account's. */
  accountHosts: string[];
  budgetMs: number;
}

const TITLE = 'Mailroom can’t show this NetSuite link';

/** A card that says why, for a link whose record is not shown; the reason is logged in one line as well. */
export function unreadable(log: Logger, url: string, reason: string, code: string): MessagingExtensionResult {
  log.info({ reason: code }, `link not unfurled: ${reason}`);
  const card = unfurlNoticeCard({ title: TITLE, reason, url });
  const preview = CardFactory.thumbnailCard(plainPreview(TITLE, 120), plainPreview(reason, 200));
  return { type: 'result', attachmentLayout: 'list', attachments: [{ ...CardFactory.adaptiveCard(card), preview }] };
}

/** Why a link names no record of ours, in words for the person who pasted it. */
function whyNotOurs(raw: string, accountHosts: string[]): { code: string; reason: string } {
  const ours = accountHosts[0] ?? '';
  const account = (host: string) => host.split('.')[0]?.toUpperCase() ?? host;
  let url: URL | null = null;
  if (URL.canParse(raw.trim())) url = new URL(raw.trim());
  const host = url?.host.toLowerCase() ?? '';
  if (!url || host === '' || !accountHosts.some((h) => h.toLowerCase() === host)) {
    return {
      code: 'other_account',
      reason: host.endsWith('.app.netsuite.com')
        ? `This link is to the NetSuite account ${account(host)}. Mailroom is connected to ${account(ours)} and reads only its records; open the link in NetSuite instead.`
        : `Mailroom reads only links to its NetSuite account (${ours}); open this one in NetSuite instead.`,
    };
  }
  return {
    code: 'not_a_record',
    reason:
      'This NetSuite page is not a record Mailroom can show: it shows customers, contacts, vendors, partners, cases, opportunities and transactions, from a link that carries the record’s id (?id=101).',
  };
}

/**
 * A pasted NetSuite record link becomes a card (version 1.3) with the record's key fields. Every other link gets
 * a card that says why its record is not shown (another account, not a record page, a saved email, NetSuite not
 * connected, not found, too slow), never an empty result.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/link-unfurling
 */
export async function unfurlLink(deps: UnfurlDeps, url: string): Promise<MessagingExtensionResult> {
  const link = parseRecordLink(url, deps.accountHosts);
  if (!link) {
    const why = whyNotOurs(url, deps.accountHosts);
    return unreadable(deps.log, url, why.reason, why.code);
  }
  const log = deps.log.child({ record: `${link.type}:${link.id}` });
  if (link.type === 'message') {
    const reason =
      'This is an email saved in NetSuite. Mailroom shows records here, not saved emails; open it in NetSuite.';
    return unreadable(log, url, reason, 'saved_email');
  }
  if (!deps.records.configured) {
    const reason =
      'NetSuite is not connected to Mailroom yet, so it cannot read records. A Mailroom admin connects it (admin guide, step 4).';
    return unreadable(log, url, reason, 'netsuite_not_configured');
  }
  const type = link.type;
  let failure: unknown = null;
  const summary = await withinBudget<RecordSummary | null>(
    deps.records.getRecordSummary(type, link.id).catch((err: unknown) => {
      failure = err;
      return null;
    }),
    deps.budgetMs,
    null,
    (err) => log.info({ err }, 'late record read failed'),
  );
  const s = summary.value;
  if (!s) {
    if (summary.late) {
      const reason = 'NetSuite did not answer within the few seconds Teams allows. Paste the link again in a minute.';
      return unreadable(log, url, reason, 'timeout');
    }
    const err = failure;
    const code = err instanceof MailroomError ? err.code : 'internal';
    if (!(err instanceof MailroomError)) log.warn({ err }, 'record read failed unexpectedly');
    const label = recordTypeLabel(type);
    const reason =
      code === 'netsuite_not_found'
        ? `NetSuite has no ${label.toLowerCase()} with id ${link.id}, or Mailroom’s NetSuite role cannot see it. Check the link; if it opens in NetSuite, ask your Mailroom admin to let the role see this ${label.toLowerCase()}.`
        : err instanceof MailroomError
          ? `${label} ${link.id} could not be read. ${personWords(err)}`
          : `${label} ${link.id} could not be read just now. Paste the link again in a minute.`;
    return unreadable(log, url, reason, code);
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
