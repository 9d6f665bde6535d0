import type { MailboxKind } from './email.js';

/**
 * The kind of a watched mailbox, from Graph's mailboxSettings.userPurpose and who is watching it:
 * a shared mailbox is shared; a person's mailbox is "user" to that person and "delegate" to anyone else.
 * The person is known by object id: the mailbox user's Graph `id` against the watcher's `aadObjectId`.
 */
export function mailboxKind(userPurpose: string, mailboxUserId: string, watcherId?: string): MailboxKind {
  switch (userPurpose.toLowerCase()) {
    case 'shared':
      return 'shared';
    case 'room':
      return 'room';
    case 'equipment':
      return 'equipment';
    case 'user':
    case 'linked':
      return watcherId && sameId(watcherId, mailboxUserId) ? 'user' : 'delegate';
    default:
      return 'unknown';
  }
}

/** Two object ids name the same person (Graph and Teams may differ in letter case); an empty id names nobody. */
export const sameId = (a: string, b: string) => a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** A person's own mailbox (as its owner or a delegate sees it), as opposed to a shared, room or equipment one. */
export function isPersonalMailbox(kind: MailboxKind): boolean {
  return kind === 'user' || kind === 'delegate';
}

export const MAILBOX_KIND_LABEL: Record<MailboxKind, string> = {
  shared: 'Shared',
  delegate: 'Delegate',
  user: 'User',
  room: 'Room',
  equipment: 'Equipment',
  unknown: 'Unknown',
};
