import type { RecordType } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import { cardText } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { safeUrl } from './labels.js';
import template from './record-result-card.json' with { type: 'json' };

/** A NetSuite record as a card shows it: the name, its type, a few labelled fields and a deep link. */
export interface RecordCardInput {
  type: RecordType;
  id: string;
  name: string;
  url: string;
  facts: Array<{ title: string; value: string }>;
  /** A line under the title, such as "Customer · #101"; defaults to the type and id. */
  subtitle?: string;
}

/** Fact lines kept on a card, so a record with many fields cannot grow it past what a preview shows. */
const MAX_FACTS = 6;

/**
 * The card of one NetSuite record. `version` is 1.5 for search results and 1.3 for link unfurling (Teams
 * refuses unfurl cards above 1.3). Record names and field values come from NetSuite, so all of it is escaped.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/link-unfurling
 */
export function recordCard(input: RecordCardInput, version: '1.3' | '1.5' = '1.5'): CardJson {
  const url = safeUrl(input.url);
  const facts = input.facts
    .filter((f) => f.value.trim() !== '')
    .slice(0, MAX_FACTS)
    .map((f) => ({ title: cardText(f.title, 40), value: cardText(f.value, 200) }));
  return expandTemplate(template, {
    version,
    title: cardText(input.name, 200),
    subtitle: cardText(input.subtitle ?? `${recordTypeLabel(input.type)} · #${input.id}`, 200),
    hasFacts: facts.length > 0,
    facts: facts.length > 0 ? facts : [{ title: '', value: '' }],
    hasUrl: url !== null,
    url: url ?? '',
  });
}

/** The card a search result inserts into the compose box. */
export function recordResultCard(input: RecordCardInput): CardJson {
  return recordCard(input, '1.5');
}
