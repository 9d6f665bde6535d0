import type { Mailbox } from '../core/email.js';
import { MailroomError } from '../core/errors.js';
import type { MailboxLookup } from '../core/ports.js';
import type { TurnInfo } from './turn-info.js';

/**
 * Refuses a card click or message action on an email of a mailbox whose cards go to another team. An email's card
 * is posted only in its mailbox's channel, so a genuine click comes from that team; an email id named from any other
 * team, or from a chat, was copied or forged, and must neither show the email nor change anything. A mailbox with no
 * channel (`/autopilot on me`) gets no cards, so no click may name its mail. A mailbox watched before its team was
 * kept (team id null, channel set) cannot be checked and stays reachable, as it was.
 */
export function assertEmailInTeam(turn: TurnInfo, mailbox: Pick<Mailbox, 'teamId' | 'channelConversationId'> | null) {
  if (mailbox?.channelConversationId && (mailbox.teamId === null || mailbox.teamId === turn.teamId)) return;
  throw new MailroomError('forbidden', 'This email belongs to a mailbox of another team.', {
    status: 403,
    remedy: 'Use the card in the channel of the team that gets this mailbox’s mail.',
  });
}

/** The same, looking the email's mailbox up. */
export async function checkEmailInTeam(
  mailboxes: MailboxLookup,
  turn: TurnInfo,
  email: { mailboxId: string },
): Promise<void> {
  assertEmailInTeam(turn, await mailboxes.byId(turn.tenantId, email.mailboxId));
}
