import { cardText } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { safeUrl } from './labels.js';
import template from './unfurl-notice-card.json' with { type: 'json' };

/**
 * What a NetSuite link unfurls into when Mailroom cannot show its record: the reason, and the link itself. Teams
 * renders unfurl cards up to version 1.3; an empty result would leave some clients (the Agents Playground) blank.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/link-unfurling
 */
export function unfurlNoticeCard(input: { title: string; reason: string; url: string }): CardJson {
  const url = safeUrl(input.url);
  return expandTemplate(template, {
    title: cardText(input.title, 200),
    reason: cardText(input.reason, 400),
    hasUrl: url !== null,
    url: url ?? '',
  });
}
