import { type MailboxKind, sameAddress } from '../core/email.js';

/**
 * The kind of a watched mailbox, from mailboxSettings.userPurpose
 * (https://learn.microsoft.com/graph/api/resources/mailboxsettings#userpurpose-values).
 * A person's mailbox that is not the watcher's own is one they reach by delegate access.
 */
export function mailboxKind(userPurpose: string, mailboxAddress: string, watcherUpn?: string): MailboxKind {
  switch (userPurpose.trim().toLowerCase()) {
    case 'shared':
      return 'shared';
    case 'room':
      return 'room';
    case 'equipment':
      return 'equipment';
    case 'user':
    case 'linked':
      return watcherUpn !== undefined && sameAddress(watcherUpn, mailboxAddress) ? 'user' : 'delegate';
    default:
      return 'unknown';
  }
}

const LABELS: Record<MailboxKind, string> = {
  shared: 'Shared',
  delegate: 'Delegate',
  user: 'User',
  room: 'Room',
  equipment: 'Equipment',
  unknown: 'Mailbox',
};

/** The badge text on cards and the dashboard. */
export function mailboxKindLabel(kind: MailboxKind): string {
  return LABELS[kind];
}
