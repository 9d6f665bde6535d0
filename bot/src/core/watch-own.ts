import type { Logger } from 'pino';
import type { Mailbox } from './email.js';
import { MailroomError } from './errors.js';
import { askGraph, commitOrUnsubscribe, ensureSubscription, recordSubscription } from './subscribe.js';
import type { Actor, WatchDeps } from './watch.js';

/**
 * `/autopilot on me`: the actor's own mailbox is watched with no channel (its mail makes no cards). One already
 * watched (perhaps in a channel) keeps where its cards go and is only made sure of its subscription. Otherwise the
 * same path as /watch: Graph first, then the mailbox, its subscription, renewal job and audit entry in one unit.
 */
export async function watchOwnMailbox(
  deps: WatchDeps,
  input: { tenantId: string; address: string; actor: Actor },
  log: Logger,
): Promise<Mailbox> {
  const { tenantId, address, actor } = input;
  const existing = await deps.mailboxes.byAddress(tenantId, address);
  if (existing?.active) {
    await ensureSubscription(deps, existing, log);
    return existing;
  }
  const user = await deps.mail.findUser(address);
  if (!user) {
    throw new MailroomError('unknown_mailbox', `There is no mailbox ${address} in this tenant.`, {
      remedy: 'Write your mailbox address instead of me, e.g. /autopilot on ana@contoso.com.',
    });
  }
  // The actor's own mailbox is the one whose Graph user is the actor, by object id, whatever the address said.
  if (user.id.toLowerCase() !== actor.id.toLowerCase()) {
    throw new MailroomError('forbidden', `${address} is not your own mailbox.`, {
      status: 403,
      remedy: 'Ask a Mailroom admin to watch it, or write the address of a watched shared mailbox.',
    });
  }
  const target = { tenantId, mailboxId: existing?.id ?? null, graphUserId: user.id, address };
  const plan = await askGraph(deps, target, log);
  const mailbox = await commitOrUnsubscribe(deps, plan, { log, address }, async (tx, recorded) => {
    const now = deps.clock();
    const mailbox = await tx.mailboxes.upsert({
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
    });
    await recordSubscription(tx, mailbox, recorded, now, 'resubscribed');
    await tx.audit.record({
      tenantId,
      actor: { id: actor.id, name: actor.name },
      action: 'watch',
      subject: mailbox.address,
      detail: { channel: null, kind: 'user', forAutopilot: true },
    });
    return mailbox;
  });
  return mailbox;
}
