import type { OwnWatchOutcome } from '../../core/watch-own.js';

/** What `/autopilot on me` says about where the person's own mailbox posts, appended to the autopilot notice. */
export function ownMailboxNote({ mailbox, overtaken }: OwnWatchOutcome): string {
  if (mailbox.channelConversationId === null) {
    return ' Your mailbox gets no channel cards; its saves show on the Dashboard.';
  }
  const channel = mailbox.channelName || 'a channel';
  if (!overtaken) return ` Your mailbox's cards go to ${channel}; its saves show on the Dashboard.`;
  // A channel /watch of it committed first: that one stands, as if it had come before this command.
  return ` ${mailbox.watchedBy || 'Someone'} watched your mailbox in ${channel} while your command was on its way, so that stays: its cards go to ${channel}, and its saves show on the Dashboard.`;
}
