import type { AcceptedNotification } from '../../bot/src/mail/notifications.js';

/** A change notification as sortNotifications() accepts it: one new message in mailbox mb-1 of tenant t1. */
export const acceptedNotification = (messageId: string): AcceptedNotification => ({
  subscriptionId: 'sub-1',
  tenantId: 't1',
  mailboxId: 'mb-1',
  userId: 'user-1',
  messageId,
  resource: `Users/user-1/Messages/${messageId}`,
});
