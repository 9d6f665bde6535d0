import type { Mailbox, MailboxKind } from './email.js';
import { MailroomError } from './errors.js';
import { isPersonalMailbox, sameId } from './mailbox-kind.js';

/** The one answer watching needs, asked of the AdminRoster (MAILROOM_ADMINS and MAILROOM_ADMIN_GROUP_ID). */
export interface MailboxAuthority {
  /** A listed admin, of every mailbox: in MAILROOM_ADMINS or a member of MAILROOM_ADMIN_GROUP_ID. */
  isGlobalAdmin(userId: string): Promise<boolean>;
}

/** Who may watch, move and unwatch a shared mailbox, in the words every refusal uses. */
export const LISTED_ADMINS = 'a Mailroom admin (listed in MAILROOM_ADMINS or a member of MAILROOM_ADMIN_GROUP_ID)';

function forbidden(message: string, remedy: string): MailroomError {
  return new MailroomError('forbidden', message, { status: 403, remedy });
}

/**
 * May `actorId` point `mailbox` at a channel (a first watch, a move, or watching it again where it is)?
 * - a shared (room, equipment, unknown) mailbox: a listed admin only. Which mailboxes Mailroom reads, and which
 *   channel gets them, is the tenant's decision: anyone may create a team and own it, so owning a team is no right
 *   to make a mailbox, and admin rights over its rules and claims, the team's own;
 * - a person's mailbox: its owner (by object id) or a listed admin; a team owner is not enough, so nobody posts a
 *   colleague's mail into their own channel.
 */
export async function authorizeWatch(
  auth: MailboxAuthority,
  input: {
    actorId: string;
    mailbox: { address: string; kind: MailboxKind; graphUserId: string };
    current: Pick<Mailbox, 'active'> | null;
  },
): Promise<void> {
  const { actorId, mailbox, current } = input;
  if (await auth.isGlobalAdmin(actorId)) return;
  if (isPersonalMailbox(mailbox.kind)) {
    if (sameId(actorId, mailbox.graphUserId)) return;
    throw forbidden(
      `${mailbox.address} is a person’s own mailbox: only its owner or ${LISTED_ADMINS} can watch it.`,
      `Ask ${mailbox.address} to type /watch me in the channel they choose, or ask a Mailroom admin.`,
    );
  }
  if (current?.active) {
    throw forbidden(
      `${mailbox.address} is watched already: only ${LISTED_ADMINS} can move it or watch it again. Team owners manage the rules and claims of their team’s mailboxes, not where a mailbox posts.`,
      `Ask a Mailroom admin to type /watch ${mailbox.address} in the channel that should get its cards.`,
    );
  }
  throw forbidden(
    `Only ${LISTED_ADMINS} can watch the shared mailbox ${mailbox.address}. Team owners manage the rules and claims of mailboxes already watched in their team, but do not choose which mailboxes Mailroom reads.`,
    `Ask a Mailroom admin to type /watch ${mailbox.address} in this channel.`,
  );
}

/** May `actorId` stop `mailbox`: a listed admin, or (for a person's mailbox) its owner. */
export async function authorizeUnwatch(
  auth: MailboxAuthority,
  input: { actorId: string; mailbox: Pick<Mailbox, 'address' | 'kind' | 'graphUserId'> },
): Promise<void> {
  const { actorId, mailbox } = input;
  if (await auth.isGlobalAdmin(actorId)) return;
  if (isPersonalMailbox(mailbox.kind) && sameId(actorId, mailbox.graphUserId)) return;
  const who = isPersonalMailbox(mailbox.kind) ? `its owner or ${LISTED_ADMINS}` : LISTED_ADMINS;
  throw forbidden(
    `Only ${who} can unwatch ${mailbox.address}.`,
    `Ask a Mailroom admin to type /unwatch ${mailbox.address}.`,
  );
}

/**
 * May `actorId` turn autopilot on for the whole of `mailbox`? For a person's mailbox, its owner or a listed admin,
 * as for watching it: a mailbox rule files every new email of it in NetSuite, so nobody does that to a colleague's
 * own mail (their personal chat's `/autopilot on me` is theirs to type). Any other watched mailbox is the team's.
 */
export async function authorizeMailboxAutopilot(
  auth: MailboxAuthority,
  input: { actorId: string; mailbox: Pick<Mailbox, 'address' | 'kind' | 'graphUserId'> },
): Promise<void> {
  const { actorId, mailbox } = input;
  if (!isPersonalMailbox(mailbox.kind) || sameId(actorId, mailbox.graphUserId)) return;
  if (await auth.isGlobalAdmin(actorId)) return;
  throw forbidden(
    `${mailbox.address} is a person’s own mailbox: only its owner or ${LISTED_ADMINS} can turn autopilot on for it.`,
    `Ask ${mailbox.address} to type /autopilot on me in a chat with Mailroom, or ask a Mailroom admin.`,
  );
}
