import { cardText, plainPreview } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './move-confirm-card.json' with { type: 'json' };

export interface MoveConfirmInput {
  address: string;
  from: string;
  to: string;
  /** The conversation id of the channel the mailbox would move to: the button acts only there. */
  channel: string;
}

/** The answer to a /watch that would move a mailbox from another channel: nothing moves until it is confirmed. */
export function moveConfirmCard(input: MoveConfirmInput): CardJson {
  const address = cardText(input.address, 200);
  const from = cardText(input.from, 120);
  const to = cardText(input.to, 120);
  return expandTemplate(template, {
    title: `Move ${address} here?`,
    text: `${address} posts its mail to ${from} now. Moving it sends new mail to ${to} instead, and the move is recorded in the Dashboard's activity log.`,
    stay: `To leave it in ${from}, do nothing.`,
    // A button title is plain text: no Markdown to escape.
    button: `Move to ${plainPreview(input.to, 60)}`,
    address: input.address,
    channel: input.channel,
  });
}
