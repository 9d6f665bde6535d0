import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Mailbox } from './email.js';
import { MailroomError } from './errors.js';
import { authorizeUnwatch, authorizeWatch, type MailboxAuthority } from './mailbox-access.js';
import { mailboxKind } from './mailbox-kind.js';
import type { MailboxStore, MailService } from './ports.js';

export interface WatchDeps {
  mail: MailService;
  mailboxes: MailboxStore;
  clock: () => Date;
  /** The base URL Graph calls back (PUBLIC_URL). */
  publicUrl: string;
  /** Called after a subscription is created, so its renewal is scheduled as a durable job. */
  onSubscribed?: (sub: { id: string; tenantId: string; mailboxId: string; expiresAt: string }) => Promise<void>;
  /**
   * Called when a subscription the database called live was gone at Graph and a new one replaced it: mail that
   * arrived in between is only found by a catch-up.
   */
  onReplaced?: (mailbox: { tenantId: string; mailboxId: string }) => Promise<void>;
}

/** Watching and unwatching also ask who may: the admin model (mailbox-access.ts). */
export interface WatchAccessDeps extends WatchDeps {
  authority: MailboxAuthority;
}

export type WatchOutcome =
  /** Nothing changed: the mailbox posts to another channel, and moving it needs a confirmation first. */
  | { kind: 'confirm_move'; mailbox: Mailbox; from: string }
  | { kind: 'watched'; mailbox: Mailbox; isNew: boolean; movedFrom: string | null; repaired: boolean };

/** What ensureSubscription found: a live subscription, none (so it made one), or one Graph had lost (replaced). */
export type SubscriptionOutcome = 'live' | 'created' | 'replaced';

export interface Actor {
  id: string;
  name: string;
  upn?: string;
}

/** A secret Graph echoes back in every notification: fresh per subscription, up to 128 characters. */
export function newClientState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Watches a mailbox from a channel: resolves it in Graph, learns its kind, checks that the actor may point it here
 * (authorizeWatch), points it at the channel and makes sure a live subscription covers every folder
 * (`users/{id}/messages`). Moving a mailbox that posts to another channel happens only with `confirmedMove`;
 * without it nothing is written and the outcome asks for the confirmation.
 */
export async function watchMailbox(
  deps: WatchAccessDeps,
  input: {
    tenantId: string;
    address: string;
    channel: { conversationId: string; name: string | null; teamId: string | null; teamGroupId?: string | null };
    actor: Actor;
    confirmedMove?: boolean;
    /** Runs once the actor may watch here and any move is confirmed, before anything is written. */
    onAuthorized?: () => Promise<unknown>;
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
  const from = previous?.channelName || (previous?.channelConversationId ? 'another channel' : 'no channel');
  if (moving && previous && !input.confirmedMove) return { kind: 'confirm_move', mailbox: previous, from };
  await input.onAuthorized?.();
  const now = deps.clock().toISOString();
  const mailbox = await deps.mailboxes.upsert({
    tenantId: input.tenantId,
    address,
    graphUserId: user.id,
    displayName: user.displayName || address,
    kind,
    channelConversationId: input.channel.conversationId,
    channelName: input.channel.name,
    teamId: input.channel.teamId,
    teamGroupId: input.channel.teamGroupId ?? null,
    watchedBy: input.actor.name,
    now,
  });
  let outcome: SubscriptionOutcome;
  try {
    outcome = await ensureSubscription(deps, mailbox, log);
  } catch (err) {
    // Without a subscription nothing would arrive: a mailbox this /watch made active goes back to unwatched, so
    // the Dashboard never shows it as watched while the channel was told it failed.
    if (!previous?.active) await deps.mailboxes.deactivate(mailbox.tenantId, mailbox.id);
    throw err;
  }
  if (moving) log.info({ from: previous?.channelName, to: input.channel.name }, 'mailbox moved to another channel');
  return {
    kind: 'watched',
    mailbox,
    isNew: !previous?.active,
    movedFrom: moving ? from : null,
    repaired: outcome === 'replaced' && previous?.active === true,
  };
}

/**
 * Keeps one live subscription per mailbox. The database's word is checked at Graph (GET /subscriptions/{id}):
 * one deleted or expired while Mailroom was down is marked removed and replaced, so nothing stays silently deaf.
 */
export async function ensureSubscription(deps: WatchDeps, mailbox: Mailbox, log: Logger): Promise<SubscriptionOutcome> {
  const now = deps.clock();
  const live = (await deps.mailboxes.subscriptionsFor(mailbox.tenantId, mailbox.id)).filter(
    (s) => Date.parse(s.expiresAt) > now.getTime() + 60_000,
  );
  let lost = false;
  for (const s of live) {
    if (await deps.mail.getSubscription(s.id)) return 'live';
    log.warn(
      { mailbox: mailbox.address, subscriptionId: s.id },
      'Graph no longer has the subscription; subscribing again',
    );
    await deps.mailboxes.updateSubscription(s.id, { status: 'removed', now: now.toISOString() });
    lost = true;
  }
  const clientState = newClientState();
  const sub = await deps.mail.createSubscription({
    userId: mailbox.graphUserId,
    notificationUrl: `${deps.publicUrl}/api/graph/notifications`,
    lifecycleNotificationUrl: `${deps.publicUrl}/api/graph/lifecycle`,
    clientState,
  });
  await deps.mailboxes.saveSubscription({
    id: sub.id,
    tenantId: mailbox.tenantId,
    mailboxId: mailbox.id,
    clientState,
    resource: sub.resource,
    expiresAt: sub.expiresAt,
    status: 'active',
    now: now.toISOString(),
  });
  log.info({ mailbox: mailbox.address, subscriptionId: sub.id, expiresAt: sub.expiresAt }, 'subscribed to mailbox');
  await deps.onSubscribed?.({
    id: sub.id,
    tenantId: mailbox.tenantId,
    mailboxId: mailbox.id,
    expiresAt: sub.expiresAt,
  });
  if (!lost) return 'created';
  await deps.onReplaced?.({ tenantId: mailbox.tenantId, mailboxId: mailbox.id });
  return 'replaced';
}

/** Stops watching: the subscription is deleted in Graph, the mailbox row stays (history) but goes inactive. */
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
  for (const sub of await deps.mailboxes.subscriptionsFor(mailbox.tenantId, mailbox.id)) {
    try {
      await deps.mail.deleteSubscription(sub.id);
    } catch (err) {
      // A subscription Graph already forgot is fine; anything else is logged, and it expires on its own.
      log.warn({ err, subscriptionId: sub.id }, 'could not delete the Graph subscription; it will expire');
    }
    await deps.mailboxes.updateSubscription(sub.id, { status: 'removed', now: deps.clock().toISOString() });
  }
  await deps.mailboxes.deactivate(mailbox.tenantId, mailbox.id);
  return mailbox;
}
