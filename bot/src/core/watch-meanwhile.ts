import type { Mailbox } from './email.js';
import { OvertakenByAnotherWatch } from './subscribe.js';

/**
 * Thrown in a watch's unit of work when the mailbox turned out bound to a channel this watch did not see when it
 * looked (another /watch of it, from another channel, or an /autopilot on me, committed in between): nothing is
 * written, and the subscription made for this watch is deleted (commitOrUnsubscribe).
 */
export class MailboxTakenMeanwhile extends OvertakenByAnotherWatch {
  constructor(readonly mailbox: Mailbox) {
    super(`${mailbox.address} was bound elsewhere since this watch looked`);
  }
}

/**
 * Thrown in a watch's unit of work when the mailbox it saw watched was unwatched since (an /unwatch committed while
 * a move was on its way): a stale watch does not bring it back, so nothing is written and the subscription made for
 * it is deleted, as above.
 */
export class MailboxUnwatchedMeanwhile extends OvertakenByAnotherWatch {
  constructor(readonly mailbox: Mailbox) {
    super(`${mailbox.address} was unwatched since this watch looked`);
  }
}
