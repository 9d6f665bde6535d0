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
  /** With `overtakenBy`: the mailbox is its owner's, just watched for autopilot with no channel (/autopilot on me). */
  fromNoChannel?: boolean;
}

/** The overtaken words: who just watched the mailbox, and how, while this /watch was on its way. */
function overtakenWords(input: MoveConfirmInput, by: string, address: string, from: string) {
  if (input.fromNoChannel) {
    return {
      title: `${address} was just watched for autopilot`,
      text: `${by} turned on autopilot for ${address}, with no channel cards, while your /watch was on its way, so nothing changed here. To get its cards here, use the button below.`,
      stay: 'To leave it without channel cards, do nothing.',
    };
  }
  return {
    title: `${address} was just set up in ${from}`,
    text: `${by} watched ${address} from ${from} while your /watch was on its way, so nothing changed here. To move it here, use the button below.`,
    stay: `To leave it in ${from}, do nothing.`,
  };
}

/** The answer to a /watch that would move a mailbox from another channel: nothing moves until it is confirmed. */
export function moveConfirmCard(input: MoveConfirmInput): CardJson {
  const address = cardText(input.address, 200);
  const from = cardText(input.from, 120);
  const to = cardText(input.to, 120);
  const moving = `Moving it sends new mail to ${to} instead, and the move is recorded in the Dashboard's activity log.`;
  const by = input.overtakenBy === undefined ? null : cardText(input.overtakenBy, 120) || 'Someone else';
  const words =
    by === null
      ? {
          title: `Move ${address} here?`,
          text: `${address} posts its mail to ${from} now.`,
          stay: `To leave it in ${from}, do nothing.`,
        }
      : overtakenWords(input, by, address, from);
  return expandTemplate(template, {
    title: words.title,
    text: `${words.text} ${moving}`,
    stay: words.stay,
    // A button title is plain text: no Markdown to escape.
    button: `Move to ${plainPreview(input.to, 60)}`,
    address: input.address,
    channel: input.channel,
  });
}
