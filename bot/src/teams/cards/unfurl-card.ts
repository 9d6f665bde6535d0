import type { CardJson } from './expand-template.js';
import { type RecordCardInput, recordCard } from './record-result-card.js';

/**
 * The card a pasted NetSuite link unfurls into. Teams only renders unfurl cards of version 1.3 or lower, and
 * caches them for 30 minutes, so the card holds what was true when the link was pasted.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/link-unfurling
 */
export function unfurlCard(input: RecordCardInput): CardJson {
  return recordCard(input, '1.3');
}
