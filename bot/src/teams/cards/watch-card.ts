import type { MailboxKind } from '../../core/email.js';
import { localPart } from '../../core/email.js';
import { cardText } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { mailboxKindLabel } from './labels.js';
import template from './watch-card.json' with { type: 'json' };

export interface WatchCardInput {
  mailbox: { address: string; displayName: string; kind: MailboxKind };
  channelName: string;
  /** False when the mailbox was already watched here: the answer says so instead of "Now watching". */
  isNew: boolean;
  /** The channel the mailbox posted to until now, when this /watch moved it here. */
  movedFrom?: string | null;
  /** Already watched, but Graph had lost its subscription: this /watch subscribed again and queued a catch-up. */
  repaired?: boolean;
}

/** The answer to /watch: which mailbox, what kind (from Graph's userPurpose), which channel, and what comes next. */
export function watchCard(input: WatchCardInput): CardJson {
  const { mailbox } = input;
  const address = cardText(mailbox.address, 200);
  const name = cardText(mailbox.displayName, 120);
  const channel = cardText(input.channelName, 120);
  const from = input.movedFrom ? cardText(input.movedFrom, 120) : null;
  return expandTemplate(template, {
    title: from
      ? `${address} moved here from ${from}`
      : input.isNew
        ? `Now watching ${address}`
        : input.repaired
          ? `Already watching ${address}: subscribed again`
          : `Already watching ${address}`,
    mailboxText: name === '' || name === address ? address : `${name} (${address})`,
    kindText: `${mailboxKindLabel(mailbox.kind)} mailbox`,
    channelText: channel,
    next:
      `New mail to ${address} appears in ${channel} as a card within seconds, and replies stay in the email's ` +
      'thread. From a card anyone can save the email to NetSuite, claim it to reply privately, or put the sender ' +
      'or thread on autopilot.' +
      (from ? ` Replies to emails carded before the move stay in their threads in ${from}.` : '') +
      (input.repaired && !from
        ? ' Graph had stopped sending its mail (the subscription was gone), so Mailroom subscribed again and is catching up on what arrived meanwhile.'
        : ''),
    stop: `To stop, type /unwatch ${cardText(localPart(mailbox.address), 100)}@`,
  });
}
