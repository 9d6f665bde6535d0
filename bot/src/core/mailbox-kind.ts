import { type MailboxKind, sameAddress } from './email.js';

/**
 * The kind of a watched mailbox, from Graph's mailboxSettings.userPurpose and who is watching it:
 * a shared mailbox is shared; a person's mailbox is "user" to that person and "delegate" to anyone else.
 */
export function mailboxKind(userPurpose: string, mailboxAddress: string, watcherUpn?: string): MailboxKind {
  switch (userPurpose.toLowerCase()) {
    case 'shared':
      return 'shared';
    case 'room':
      return 'room';
    case 'equipment':
      return 'equipment';
    case 'user':
    case 'linked':
      return watcherUpn && sameAddress(watcherUpn, mailboxAddress) ? 'user' : 'delegate';
    default:
      return 'unknown';
  }
}

export const MAILBOX_KIND_LABEL: Record<MailboxKind, string> = {
  shared: 'Shared',
  delegate: 'Delegate',
  user: 'User',
  room: 'Room',
  equipment: 'Equipment',
  unknown: 'Unknown',
};
