import type { Mailbox } from '../../core/email.js';
import type { TurnInfo } from '../turn-info.js';

/**
 * The turn as the admin check should see it for a command about `mailbox`: team owners are admins of the mailboxes
 * watched in their team, wherever they type the command (a personal chat included), and of no other team's.
 * The mailbox's team group id is stored at /watch; a mailbox watched before that was kept falls back to the team
 * the command is typed in, but only when that is the mailbox's own team.
 */
export function turnForMailboxAdmin(turn: TurnInfo, mailbox: Pick<Mailbox, 'teamId' | 'teamGroupId'> | null): TurnInfo {
  if (!mailbox) return turn;
  const sameTeam = mailbox.teamId !== null && mailbox.teamId === turn.teamId;
  return { ...turn, aadGroupId: mailbox.teamGroupId ?? (sameTeam ? turn.aadGroupId : null) };
}
