import type { Mailbox, MailboxKind } from './email.js';
import { MailroomError } from './errors.js';
import { isPersonalMailbox } from './mailbox-kind.js';

/** The two answers the admin model needs, asked of the AdminRoster (MAILROOM_ADMINS and Graph's team owners). */
export interface MailboxAuthority {
  /** An admin of every mailbox: listed in MAILROOM_ADMINS or a member of MAILROOM_ADMIN_GROUP_ID. */
  isGlobalAdmin(userId: string): Promise<boolean>;
  /** An owner of the team with this Microsoft 365 group id; never of a null one. */
  ownsTeam(userId: string, teamGroupId: string | null): Promise<boolean>;
}

/** Where a command was typed: the team whose owners may act on its own mailboxes. */
export interface TeamPlace {
  teamId: string | null;
  teamGroupId: string | null;
}

/** The team a watched mailbox's cards go to, by group id; an older row without one counts only from that team. */
export function mailboxTeamGroup(mailbox: Pick<Mailbox, 'teamId' | 'teamGroupId'>, here: TeamPlace): string | null {
  if (mailbox.teamGroupId) return mailbox.teamGroupId;
  return mailbox.teamId !== null && mailbox.teamId === here.teamId ? here.teamGroupId : null;
}

const ADMIN_REMEDY =
  'Ask a Mailroom admin (listed in MAILROOM_ADMINS or in its admin group) or an owner of the team that gets its cards to do it.';

function forbidden(message: string, remedy = ADMIN_REMEDY): MailroomError {
  return new MailroomError('forbidden', message, { status: 403, remedy });
}

const sameId = (a: string, b: string) => a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * May `actorId` point `mailbox` at a channel of team `target`?
 * - a person's mailbox: only its owner (by object id) or a listed admin; a team owner is not enough, so nobody
 *   posts a colleague's mail into their own channel;
 * - a shared (room, equipment, unknown) mailbox watched nowhere: a listed admin, or an owner of the target team,
 *   which then becomes its team;
 * - one already watched (a move, even to another channel of the same team): a listed admin, or someone who owns
 *   both the team it posts to now and the target team. Owning the target alone is not enough: that is how a
 *   mailbox, and admin rights over its rules and claims, would be taken from another team.
 */
export async function authorizeWatch(
  auth: MailboxAuthority,
  input: {
    actorId: string;
    mailbox: { address: string; kind: MailboxKind; graphUserId: string };
    current: Pick<Mailbox, 'active' | 'teamId' | 'teamGroupId'> | null;
    target: TeamPlace;
  },
): Promise<void> {
  const { actorId, mailbox, current, target } = input;
  if (await auth.isGlobalAdmin(actorId)) return;
  if (isPersonalMailbox(mailbox.kind)) {
    if (sameId(actorId, mailbox.graphUserId)) return;
    throw forbidden(
      `${mailbox.address} is a person’s own mailbox: only its owner or a Mailroom admin can watch it.`,
      `Ask ${mailbox.address} to type /watch me in the channel they choose, or ask an admin listed in MAILROOM_ADMINS.`,
    );
  }
  const ownsTarget = await auth.ownsTeam(actorId, target.teamGroupId);
  if (!current?.active) {
    if (ownsTarget) return;
    throw forbidden(`Only a Mailroom admin or an owner of this team can watch ${mailbox.address} here.`);
  }
  const from = mailboxTeamGroup(current, target);
  if (ownsTarget && (await auth.ownsTeam(actorId, from))) return;
  throw forbidden(
    `${mailbox.address} posts to another channel: only a Mailroom admin, or an owner of both teams, can move it.`,
  );
}

/** May `actorId` stop `mailbox`: a listed admin, an owner of its team, or (for a person's mailbox) its owner. */
export async function authorizeUnwatch(
  auth: MailboxAuthority,
  input: { actorId: string; mailbox: Mailbox; here: TeamPlace },
): Promise<void> {
  const { actorId, mailbox } = input;
  if (await auth.isGlobalAdmin(actorId)) return;
  if (isPersonalMailbox(mailbox.kind) && sameId(actorId, mailbox.graphUserId)) return;
  if (await auth.ownsTeam(actorId, mailboxTeamGroup(mailbox, input.here))) return;
  throw forbidden(`Only a Mailroom admin or an owner of the team that gets its cards can unwatch ${mailbox.address}.`);
}
