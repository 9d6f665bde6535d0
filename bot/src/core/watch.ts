import type { Logger } from 'pino';
import type { Mailbox } from './email.js';
import { MailroomError } from './errors.js';
import { authorizeUnwatch, authorizeWatch, type MailboxAuthority } from './mailbox-access.js';
import { mailboxKind } from './mailbox-kind.js';
import {
  askGraph,
  commitOrUnsubscribe,
  recordSubscription,
  type SubscribeDeps,
  type SubscriptionOutcome,
} from './subscribe.js';
import { MailboxTakenMeanwhile, MailboxUnwatchedMeanwhile } from './watch-meanwhile.js';

export { ensureSubscription, newClientState, type SubscriptionOutcome } from './subscribe.js';

/** Watching needs Graph, the mailbox rows, and one unit of work for what it decides. */
export type WatchDeps = SubscribeDeps;

/** Watching and unwatching also ask who may: the admin model (mailbox-access.ts). */
export interface WatchAccessDeps extends WatchDeps {
  authority: MailboxAuthority;
}

export type WatchOutcome =
  /**
   * Nothing changed: the mailbox posts to another channel, and moving it needs a confirmation first. `overtaken`:
   * another watch bound it there after this one looked (the two at the same instant), so this one moved nothing.
   */
  | { kind: 'confirm_move'; mailbox: Mailbox; from: string; overtaken: boolean }
  | { kind: 'watched'; mailbox: Mailbox; isNew: boolean; movedFrom: string | null; repaired: boolean }
  /** Nothing changed: the mailbox this watch saw watched (a confirmed move) was unwatched while it was on its way. */
  | { kind: 'unwatched_meanwhile'; mailbox: Mailbox };

/** The channel a mailbox is watched from; its reference (for proactive posts) is stored with the watch. */
export interface WatchChannel {
  conversationId: string;
  name: string | null;
  teamId: string | null;
  teamGroupId?: string | null;
  channelId?: string | null;
  reference?: Record<string, unknown>;
}

export interface Actor {
  id: string;
  name: string;
  upn?: string;
}

/** The channel a mailbox posts to, in words. */
export function boundTo(mailbox: Mailbox | null): string {
  return mailbox?.channelName || (mailbox?.channelConversationId ? 'another channel' : 'no channel');
}

/**
 * Watches a mailbox from a channel: resolves it in Graph, learns its kind, checks that the actor may point it here
 * (authorizeWatch), makes sure a live subscription covers every folder, then records it all in one unit of work:
 * the mailbox pointed at the channel (and the channel's reference), the subscription rows, the renewal (and
 * catch-up) jobs and the audit entry.
 * Moving a mailbox that posts to another channel happens only with `confirmedMove`; without it nothing is written
 * and the outcome asks for the confirmation. The same holds when the mailbox was bound to another channel after it
 * was looked up here (two /watch of it at once, from two channels): the later commit moves nothing, deletes its own
 * subscription at Graph, and asks for the confirmation a /watch typed after the other would have asked for. A watch
 * that saw the mailbox watched (a move, or the same channel again) and finds it unwatched at commit writes nothing
 * either: it planned on a subscription the unwatch deleted, and a stale move must not bring back what was stopped.
 */
export async function watchMailbox(
  deps: WatchAccessDeps,
  input: {
    tenantId: string;
    address: string;
    channel: WatchChannel;
    actor: Actor;
    confirmedMove?: boolean;
  },
  log: Logger,
): Promise<WatchOutcome> {
  const address = input.address.trim().toLowerCase();
  const user = await deps.mail.findUser(address);
  if (!user) {
    throw new MailroomError('unknown_mailbox', `There is no mailbox ${address} in this tenant.`, {
      remedy: `Check the spelling, and that ${address} is a mailbox (not a group or a contact) in your Microsoft 365 tenant. In the Exchange admin center, Recipients > Mailboxes lists them.`,
    });
  }
  const purpose = await deps.mail.getMailboxPurpose(user.id);
  const kind = mailboxKind(purpose, user.id, input.actor.id);
  const previous = await deps.mailboxes.byAddress(input.tenantId, address);
  await authorizeWatch(deps.authority, {
    actorId: input.actor.id,
    mailbox: { address, kind, graphUserId: user.id },
    current: previous,
  });
  // A mailbox has one channel: watching it from another moves it, which is confirmed first and then audited.
  const moving = previous?.active === true && previous.channelConversationId !== input.channel.conversationId;
  const from = boundTo(previous);
  if (moving && previous && !input.confirmedMove) {
    return { kind: 'confirm_move', mailbox: previous, from, overtaken: false };
  }
  const target = { tenantId: input.tenantId, mailboxId: previous?.id ?? null, graphUserId: user.id, address };
  const plan = await askGraph(deps, target, log);
  const { channel, actor } = input;
  // Only the binding seen above may be changed (the channel it posted to when moving, else none), and only while it
  // is as active as it was seen.
  const guard = {
    movableFrom: moving && previous ? [previous.channelConversationId] : [],
    seenActive: !!previous?.active,
  };
  let committed: { mailbox: Mailbox; outcome: SubscriptionOutcome };
  try {
    committed = await commitOrUnsubscribe(deps, plan, { log, address }, async (tx, recorded) => {
      const now = deps.clock();
      const mailbox = await tx.mailboxes.upsert(
        {
          tenantId: input.tenantId,
          address,
          graphUserId: user.id,
          displayName: user.displayName || address,
          kind,
          channelConversationId: channel.conversationId,
          channelName: channel.name,
          teamId: channel.teamId,
          teamGroupId: channel.teamGroupId ?? null,
          watchedBy: actor.name,
          now: now.toISOString(),
        },
        guard,
      );
      if (!mailbox.active) throw new MailboxUnwatchedMeanwhile(mailbox);
      if (mailbox.channelConversationId !== channel.conversationId) throw new MailboxTakenMeanwhile(mailbox);
      if (channel.reference) {
        await tx.conversations.upsert({
          tenantId: input.tenantId,
          conversationId: channel.conversationId,
          kind: 'channel',
          teamId: channel.teamId,
          channelId: channel.channelId ?? null,
          name: channel.name,
          reference: channel.reference,
          installedAt: now.toISOString(),
        });
      }
      const outcome = await recordSubscription(tx, mailbox, recorded, now, 'resubscribed');
      await tx.audit.record({
        tenantId: input.tenantId,
        actor: { id: actor.id, name: actor.name },
        action: moving ? 'move' : 'watch',
        subject: address,
        detail: moving ? { from, to: channel.name, kind } : { channel: channel.name, kind },
      });
      return { mailbox, outcome };
    });
  } catch (err) {
    if (err instanceof MailboxUnwatchedMeanwhile) {
      log.info({ mailbox: address }, 'the mailbox was unwatched meanwhile; watching nothing');
      return { kind: 'unwatched_meanwhile', mailbox: err.mailbox };
    }
    if (!(err instanceof MailboxTakenMeanwhile)) throw err;
    log.info({ mailbox: address, channel: err.mailbox.channelName }, 'another watch bound the mailbox meanwhile');
    return { kind: 'confirm_move', mailbox: err.mailbox, from: boundTo(err.mailbox), overtaken: true };
  }
  const { mailbox, outcome } = committed;
  if (moving) log.info({ from: previous?.channelName, to: channel.name }, 'mailbox moved to another channel');
  return {
    kind: 'watched',
    mailbox,
    isNew: !previous?.active,
    movedFrom: moving ? from : null,
    repaired: outcome === 'replaced' && previous?.active === true,
  };
}

/**
 * Stops watching: the subscriptions are deleted at Graph first, then one unit of work marks removed every
 * subscription the mailbox has at commit time, turns the mailbox inactive (the row stays, for history) and audits it.
 * The deactivation comes first in that unit of work, so a watch committing at the same time is either seen whole or
 * finds the mailbox inactive (MailboxStore.upsert's guard). A subscription committed meanwhile (a confirmed move that
 * replaced the one deleted here) is deleted at Graph after the commit, so none is left live for an unwatched mailbox.
 * The answer is the mailbox as it stood at commit (a move meanwhile changed its channel).
 */
export async function unwatchMailbox(
  deps: WatchAccessDeps,
  input: {
    tenantId: string;
    address: string;
    actor: Actor;
  },
  log: Logger,
): Promise<Mailbox> {
  const mailbox = await deps.mailboxes.byAddress(input.tenantId, input.address);
  if (!mailbox?.active) {
    throw new MailroomError('unknown_mailbox', `${input.address} is not watched.`, {
      remedy: 'Type /watch <address> in the channel that should get its cards.',
    });
  }
  await authorizeUnwatch(deps.authority, { actorId: input.actor.id, mailbox });
  const seen = await deps.mailboxes.subscriptionsFor(mailbox.tenantId, mailbox.id);
  await deleteAtGraph(deps, seen, log);
  const { stood, meanwhile } = await deps.uow.run(async (tx) => {
    const now = deps.clock().toISOString();
    await tx.mailboxes.deactivate(mailbox.tenantId, mailbox.id);
    const stood = (await tx.mailboxes.byAddress(mailbox.tenantId, mailbox.address)) ?? mailbox;
    const subs = await tx.mailboxes.subscriptionsFor(mailbox.tenantId, mailbox.id);
    for (const sub of subs) await tx.mailboxes.updateSubscription(sub.id, { status: 'removed', now });
    await tx.audit.record({
      tenantId: input.tenantId,
      actor: { id: input.actor.id, name: input.actor.name },
      action: 'unwatch',
      subject: mailbox.address,
    });
    return { stood, meanwhile: subs.filter((sub) => !seen.some((s) => s.id === sub.id)) };
  });
  if (meanwhile.length > 0) log.info({ mailbox: mailbox.address }, 'a subscription was made meanwhile; deleting it');
  await deleteAtGraph(deps, meanwhile, log);
  return stood;
}

async function deleteAtGraph(deps: WatchDeps, subs: Array<{ id: string }>, log: Logger): Promise<void> {
  for (const sub of subs) {
    try {
      await deps.mail.deleteSubscription(sub.id);
    } catch (err) {
      // A subscription Graph already forgot is fine; anything else is logged, and it expires on its own.
      log.warn({ err, subscriptionId: sub.id }, 'could not delete the Graph subscription; it will expire');
    }
  }
}
