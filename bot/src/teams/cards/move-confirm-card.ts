import { cardText, plainPreview } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './move-confirm-card.json' with { type: 'json' };

export interface MoveConfirmInput {
  address: string;
  from: string;
  to: string;
  /** The conversation id of the channel the mailbox would move to: the button acts only there. */
  channel: string;
  /**
   * Who watched the mailbox from `from` while this /watch was on its way (two at once, from two channels): this one
   * moved nothing, and the card says so before it offers the move.
   */
  overtakenBy?: string;
}

/** The answer to a /watch that would move a mailbox from another channel: nothing moves until it is confirmed. */
export function moveConfirmCard(input: MoveConfirmInput): CardJson {
  const address = cardText(input.address, 200);
  const from = cardText(input.from, 120);
  const to = cardText(input.to, 120);
  const moving = `Moving it sends new mail to ${to} instead, and the move is recorded in the Dashboard's activity log.`;
  const by = input.overtakenBy === undefined ? null : cardText(input.overtakenBy, 120) || 'Someone else';
  return expandTemplate(template, {
    title: by === null ? `Move ${address} here?` : `${address} was just set up in ${from}`,
    text:
      by === null
        ? `${address} posts its mail to ${from} now. ${moving}`
        : `${by} watched ${address} from ${from} while your /watch was on its way, so nothing changed here. To move it here, use the button below. ${moving}`,
    stay: `To leave it in ${from}, do nothing.`,
    // A button title is plain text: no Markdown to escape.
    button: `Move to ${plainPreview(input.to, 60)}`,
    address: input.address,
    channel: input.channel,
  });
}
