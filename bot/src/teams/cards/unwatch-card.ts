import { cardText } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './unwatch-card.json' with { type: 'json' };

export interface UnwatchCardInput {
  mailbox: { address: string; displayName: string };
  channelName: string;
}

/** The answer to /unwatch: what stops, and what stays. */
export function unwatchCard(input: UnwatchCardInput): CardJson {
  const address = cardText(input.mailbox.address, 200);
  return expandTemplate(template, {
    title: `Stopped watching ${address}`,
    text:
      `New mail to ${address} no longer appears in ${cardText(input.channelName, 120)}. Cards already posted, ` +
      'and what was saved to NetSuite, stay as they are.',
    again: `To watch it again, type /watch ${address}`,
  });
}
