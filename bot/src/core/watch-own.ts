import type { Logger } from 'pino';
import type { Mailbox } from './email.js';
import { MailroomError } from './errors.js';
import { sameId } from './mailbox-kind.js';
import type { WorkPorts } from './ports.js';
import {
  askGraph,
  commitOrUnsubscribe,
  ensureSubscription,
  recordSubscription,
  type SubscriptionPlan,
} from './subscribe.js';
import type { Actor, WatchDeps } from './watch.js';
import { MailboxTakenMeanwhile } from './watch-meanwhile.js';

/**
 * The mailbox as it stands after `/autopilot on me`. `overtaken`: a /watch from a channel committed it there while
 * this one was on its way, so this one changed nothing and the mailbox keeps that channel.
 */
export interface OwnWatchOutcome {
  mailbox: Mailbox;
  overtaken: boolean;
}

function notYourMailbox(address: string): MailroomError {
  return new MailroomError('forbidden', `${address} is not your own mailbox.`, {
    status: 403,
    remedy: 'Ask a Mailroom admin to watch it, or write the address of a watched shared mailbox.',
  });
}

/**
 * `/autopilot on me`: the actor's own mailbox is watched with no channel (its mail makes no cards). One already
 * watched (perhaps in a channel) keeps where its cards go and is only made sure of its subscription. Otherwise the
 * same path as /watch: Graph first, then the mailbox, its subscription, renewal job and audit entry in one unit.
 * A channel /watch of the mailbox that commits first (the two at the same instant) wins as if it came first: this one
 * writes nothing, deletes its own subscription at Graph, and answers with the mailbox where that watch put it.
 */
export async function watchOwnMailbox(
  deps: WatchDeps,
  input: { tenantId: string; address: string; actor: Actor },
  log: Logger,
): Promise<OwnWatchOutcome> {
  const { tenantId, address, actor } = input;
  const existing = await deps.mailboxes.byAddress(tenantId, address);
  if (existing?.active) {
    // Watched already (by its owner, or in a channel by an admin): still only its owner's own by object id.
    if (!sameId(existing.graphUserId, actor.id)) throw notYourMailbox(address);
    await ensureSubscription(deps, existing, log);
    return { mailbox: existing, overtaken: false };
  }
  const user = await deps.mail.findUser(address);
  if (!user) {
    throw new MailroomError('unknown_mailbox', `There is no mailbox ${address} in this tenant.`, {
      remedy: 'Write your mailbox address instead of me, e.g. /autopilot on ana@contoso.com.',
    });
  }
  // The actor's own mailbox is the one whose Graph user is the actor, by object id, whatever the address said.
  if (!sameId(user.id, actor.id)) throw notYourMailbox(address);
  const target = { tenantId, mailboxId: existing?.id ?? null, graphUserId: user.id, address };
  const plan = await askGraph(deps, target, log);
  const commit = async (tx: WorkPorts, recorded: SubscriptionPlan): Promise<Mailbox> => {
    const now = deps.clock();
    // Nobody watched it when looked at: an inactive row, or one another /autopilot on me made, may be written.
    const mailbox = await tx.mailboxes.upsert(
      {
        tenantId,
        address,
        graphUserId: user.id,
        displayName: user.displayName || address,
        kind: 'user',
        channelConversationId: null,
        channelName: null,
        teamId: null,
        watchedBy: actor.name,
        now: now.toISOString(),
      },
      { movableFrom: [] },
    );
    if (mailbox.channelConversationId !== null) throw new MailboxTakenMeanwhile(mailbox);
    await recordSubscription(tx, mailbox, recorded, now, 'resubscribed');
    await tx.audit.record({
      tenantId,
      actor: { id: actor.id, name: actor.name },
      action: 'watch',
      subject: mailbox.address,
      detail: { channel: null, kind: 'user', forAutopilot: true },
    });
    return mailbox;
  };
  try {
    return { mailbox: await commitOrUnsubscribe(deps, plan, { log, address }, commit), overtaken: false };
  } catch (err) {
    if (!(err instanceof MailboxTakenMeanwhile)) throw err;
    log.info({ mailbox: address, channel: err.mailbox.channelName }, 'a channel /watch bound the mailbox meanwhile');
    return { mailbox: err.mailbox, overtaken: true };
  }
}
