import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import type { ChannelPoster } from '../core/ports.js';
import type { CardRepo } from '../store/repos/cards.js';
import type { EmailRepo } from '../store/repos/emails.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import { type CardViewDeps, loadCardView, readCard } from './card-view.js';
import { emailCard } from './cards/email-card.js';

export interface CardJobDeps extends CardViewDeps {
  cards: CardRepo;
  emails: EmailRepo;
  mailboxes: MailboxRepo;
  poster: ChannelPoster;
  clock: () => Date;
  /** Queues the NetSuite lookup that fills the card's suggestions in after it is posted. */
  requestSuggestions: (tenantId: string, emailId: string) => Promise<void>;
}

/** A thread reservation older than this belongs to a worker that died before posting (a job lease, and then some). */
const THREAD_CLAIM_STALE_MS = 90_000;

/** A card update or a reply that must wait for another card to be posted first. */
function notYet(what: string): MailroomError {
  // No fixed wait: the job's growing backoff keeps retrying for as long as a throttled root post may take.
  return new MailroomError('teams_unavailable', what);
}

/**
 * Posts an email's card: as a reply in its conversation's thread when that thread exists, else as a new thread.
 * Mail of one conversation is serialised: a later email waits until the thread's first card is posted, so two
 * emails arriving together never start two threads.
 */
export async function postEmailCard(deps: CardJobDeps, tenantId: string, emailId: string, log: Logger): Promise<void> {
  if (await deps.cards.cardFor(tenantId, emailId)) {
    log.info('card already posted; nothing to do');
    return;
  }
  const read = await readCard(deps, tenantId, emailId);
  if (!read) {
    log.warn('email or mailbox is gone; no card');
    return;
  }
  const { view, mailbox } = read;
  const { email } = view;
  if (!mailbox.channelConversationId) {
    log.info('mailbox has no channel any more; no card');
    return;
  }
  if (view.suggestions.state === 'loading') await deps.requestSuggestions(tenantId, emailId);
  const card = emailCard(view);
  const now = () => deps.clock().toISOString();
  const thread = await deps.cards.threadState(tenantId, mailbox.id, email.conversationId);
  if (thread?.teamsConversationId) {
    const posted = await deps.poster.replyInThread({
      tenantId,
      threadConversationId: thread.teamsConversationId,
      card,
    });
    await deps.cards.recordCard(tenantId, emailId, posted, now());
    log.info({ thread: thread.teamsConversationId }, 'card posted as a reply in its thread');
    return;
  }
  if (!thread) {
    const root = await deps.emails.firstCardable(tenantId, mailbox.id, email.conversationId);
    if (root && root.id !== emailId && !(await deps.cards.cardFor(tenantId, root.id))) {
      throw notYet('an earlier email of this conversation has not been posted yet');
    }
    if (!(await deps.cards.reserveThread(tenantId, mailbox.id, email.conversationId, emailId, now()))) {
      throw notYet('another email of this conversation is starting its thread');
    }
  } else if (thread.rootActivityId !== `pending:${emailId}`) {
    // Another email is starting the thread. If its worker died before posting, take the thread over.
    const staleBefore = new Date(deps.clock().getTime() - THREAD_CLAIM_STALE_MS).toISOString();
    if (!(await deps.cards.takeOverThread(mailbox.id, email.conversationId, emailId, staleBefore, now()))) {
      throw notYet('another email of this conversation is starting its thread');
    }
  }
  const posted = await deps.poster.postThread({
    tenantId,
    channelConversationId: mailbox.channelConversationId,
    card,
  });
  // Record at once: a crash between Teams' answer and these lines is the one window that cannot be closed.
  await deps.cards.recordCard(tenantId, emailId, posted, now());
  await deps.cards.recordThread(mailbox.id, email.conversationId, emailId, posted);
  log.info({ thread: posted.teamsConversationId }, 'card posted as a new thread');
}

/** Re-renders a posted card for everyone, after a save, claim or rule change. */
export async function updateEmailCard(deps: CardJobDeps, tenantId: string, emailId: string, log: Logger) {
  const where = await deps.cards.cardFor(tenantId, emailId);
  const read = await readCard(deps, tenantId, emailId);
  if (!read) return;
  const { view, mailbox } = read;
  if (!where) {
    // No channel (personal autopilot) means no card to update; otherwise the post is still on its way.
    if (!mailbox.channelConversationId || view.email.isOutgoing) return;
    throw notYet('the card is not posted yet');
  }
  // Two updates of one card can run at once (a save finishing while the update for its start is in flight), and
  // Teams keeps whichever lands last. So once an update has landed, the state is read again and, if it changed
  // meanwhile, the newer card follows: the card that stays is never older than the state its update saw.
  let card = emailCard(view);
  for (let round = 0; ; round++) {
    await deps.poster.updateCard({ tenantId, ...where, card });
    const after = await loadCardView(deps, tenantId, emailId);
    if (!after) break;
    const next = emailCard(after);
    if (JSON.stringify(next) === JSON.stringify(card) || round >= 2) break;
    card = next;
    log.debug('the card changed while it was being updated; updating again');
  }
  log.debug('card updated for everyone');
}
