import type { Logger } from 'pino';
import type { Email } from '../core/email.js';
import { Deferral } from '../core/errors.js';
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
  /** Whether the email's card post is still to come: its job is waiting or running. */
  postPending: (tenantId: string, emailId: string) => Promise<boolean>;
}

const NO_CARD_COMING = 'the email this card waited for will get no card; this card starts the thread';

/** A thread reservation older than this belongs to a worker that died before posting (a job lease, and then some). */
const THREAD_CLAIM_STALE_MS = 90_000;

/**
 * A card update or a reply that must wait for another card to be posted first. A wait, not a failure: the job
 * looks again a little later without spending an attempt (jobs/worker.ts), for up to its kind's maxWaitMs.
 */
function notYet(what: string): Deferral {
  return new Deferral('card_waiting', what, 'card_wait_expired');
}

/**
 * Posts an email's card: as a reply in its conversation's thread when that thread exists, else as a new thread.
 * Mail of one conversation is serialised: a later email waits until the thread's first card is posted, so two
 * emails arriving together never start two threads. It waits only while that card can still come: when the first
 * email's card failed for good (or was never to be posted), the later email starts the thread itself, so its card
 * is seen and the conversation's next mail replies under it.
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
  const now = () => deps.clock().toISOString();
  const thread = await deps.cards.threadState(tenantId, mailbox.id, email.conversationId);
  if (thread?.teamsConversationId) {
    const posted = await deps.poster.replyInThread({
      tenantId,
      threadConversationId: thread.teamsConversationId,
      card: emailCard(view),
    });
    await deps.cards.recordCard(tenantId, emailId, posted, now());
    log.info({ thread: thread.teamsConversationId }, 'card posted as a reply in its thread');
    return;
  }
  await claimThread(deps, tenantId, email, thread, log);
  const posted = await deps.poster.postThread({
    tenantId,
    channelConversationId: mailbox.channelConversationId,
    card: emailCard(view),
  });
  // Record at once: a crash between Teams' answer and these lines is the one window that cannot be closed.
  await deps.cards.recordCard(tenantId, emailId, posted, now());
  await deps.cards.recordThread(mailbox.id, email.conversationId, emailId, posted);
  log.info({ thread: posted.teamsConversationId }, 'card posted as a new thread');
}

/**
 * Reserves the conversation's thread for this email's card, or defers while another email's card may still start
 * it. An earlier email's card that will not come (it failed for good, or was never to be posted) is not waited for:
 * this card starts the thread instead, so that it is seen, and the conversation's next mail replies under it.
 */
async function claimThread(
  deps: CardJobDeps,
  tenantId: string,
  email: Pick<Email, 'id' | 'mailboxId' | 'conversationId'>,
  thread: { rootActivityId: string } | null,
  log: Logger,
): Promise<void> {
  const { id, mailboxId, conversationId } = email;
  const now = deps.clock();
  if (!thread) {
    const root = await deps.emails.firstCardable(tenantId, mailboxId, conversationId);
    if (root && root.id !== id && !(await deps.cards.cardFor(tenantId, root.id))) {
      if (await deps.postPending(tenantId, root.id)) {
        throw notYet(`the first email of this conversation (${root.id}) has no card yet`);
      }
      log.warn({ waitedFor: root.id }, NO_CARD_COMING);
    }
    if (await deps.cards.reserveThread(tenantId, mailboxId, conversationId, id, now.toISOString())) return;
    throw notYet('another email of this conversation is starting its thread');
  }
  const holder = thread.rootActivityId.replace(/^pending:/, '');
  if (holder === id) return;
  // Another email is starting the thread. Take it over once that email's card will not come, or once its worker
  // died before posting (the job is still running then, so only the reservation's age tells).
  const gone = !(await deps.postPending(tenantId, holder));
  const staleBefore = gone ? now : new Date(now.getTime() - THREAD_CLAIM_STALE_MS);
  const takeOver = { holderId: holder, staleBefore: staleBefore.toISOString(), now: now.toISOString() };
  if (await deps.cards.takeOverThread(mailboxId, conversationId, id, takeOver)) {
    if (gone) log.warn({ waitedFor: holder }, NO_CARD_COMING);
    return;
  }
  throw notYet(`another email of this conversation (${holder}) is starting its thread`);
}

/** Re-renders a posted card for everyone, after a save, claim or rule change. */
export async function updateEmailCard(deps: CardJobDeps, tenantId: string, emailId: string, log: Logger) {
  let where = await deps.cards.cardFor(tenantId, emailId);
  const read = await readCard(deps, tenantId, emailId);
  if (!read) return;
  const { view, mailbox } = read;
  if (!where) {
    // No channel (personal autopilot) means no card to update; otherwise the post may still be on its way.
    if (!mailbox.channelConversationId || view.email.isOutgoing) return;
    if (await deps.postPending(tenantId, emailId)) throw notYet('the card is not posted yet');
    // No post to come. One may have landed since the first look, and shows older state than this update's.
    where = await deps.cards.cardFor(tenantId, emailId);
    if (!where) {
      log.info('the card was never posted (its post failed for good); nothing to update');
      return;
    }
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
