import { z } from 'zod';
import { clientStateMatches } from './client-state.js';

/**
 * Graph's change and lifecycle notifications, as they arrive on the webhook.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#change-notification-example
 * https://learn.microsoft.com/graph/change-notifications-lifecycle-events#structure-of-a-lifecycle-notification
 */
const changeNotification = z.object({
  subscriptionId: z.string().min(1),
  subscriptionExpirationDateTime: z.string().optional(),
  clientState: z.string().nullish(),
  changeType: z.string(),
  resource: z.string().min(1),
  tenantId: z.string().min(1),
  resourceData: z
    .object({
      '@odata.type': z.string().optional(),
      '@odata.id': z.string().optional(),
      '@odata.etag': z.string().optional(),
      id: z.string().min(1),
    })
    .passthrough()
    .optional(),
});

export const changeNotificationsSchema = z.object({ value: z.array(z.unknown()).min(1) });

export const lifecycleNotificationSchema = z.object({
  subscriptionId: z.string().min(1),
  subscriptionExpirationDateTime: z.string().optional(),
  tenantId: z.string().min(1),
  clientState: z.string().nullish(),
  lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
});
export type LifecycleEvent = z.infer<typeof lifecycleNotificationSchema>['lifecycleEvent'];

/** What Mailroom knows about one of its subscriptions: enough to check a notification against it. */
export interface KnownSubscription {
  tenantId: string;
  mailboxId: string;
  clientState: string;
}

export type LookupSubscription = (
  subscriptionId: string,
) => KnownSubscription | null | undefined | Promise<KnownSubscription | null | undefined>;

export interface AcceptedNotification {
  subscriptionId: string;
  tenantId: string;
  mailboxId: string;
  /** Graph's user id of the mailbox, from the resource path. */
  userId: string;
  messageId: string;
  resource: string;
}

export interface AcceptedLifecycle {
  subscriptionId: string;
  tenantId: string;
  mailboxId: string;
  lifecycleEvent: LifecycleEvent;
}

export type RejectReason =
  | 'malformed'
  | 'unknown_subscription'
  | 'client_state_mismatch'
  | 'tenant_mismatch'
  | 'unsupported_change'
  | 'over_limit';

/**
 * The most change notifications one POST may carry. Graph's webhook docs say a POST holds "a collection" and name
 * no maximum (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks), so this is the conservative
 * reading: far more than Graph batches for one app in practice, far fewer than a 1 MB body of forged items (~37,000).
 * Items past it are dropped, counted in the request's one log line; a real one is found again by delta catch-up.
 */
export const MAX_NOTIFICATIONS_PER_REQUEST = 1000;

/** How many items of one request were dropped, by reason, and a few of the subscription ids named, for the log. */
export interface DropSummary {
  dropped: number;
  reasons: Partial<Record<RejectReason, number>>;
  /** Up to five distinct subscription ids of dropped items: enough to recognise a stale or forged one. */
  subscriptionIds: string[];
}

export function summarizeDrops(rejected: Rejected[], overLimit = 0): DropSummary {
  const reasons: Partial<Record<RejectReason, number>> = {};
  const ids = new Set<string>();
  for (const r of rejected) {
    reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    if (ids.size < 5 && r.subscriptionId !== '') ids.add(r.subscriptionId.slice(0, 100));
  }
  if (overLimit > 0) reasons.over_limit = overLimit;
  return { dropped: rejected.length + overLimit, reasons, subscriptionIds: [...ids] };
}

/** Looks each distinct subscription id up once per request, however many items name it. */
function oncePerId(lookup: LookupSubscription): LookupSubscription {
  const seen = new Map<string, ReturnType<LookupSubscription>>();
  return (id) => {
    let hit = seen.get(id);
    if (hit === undefined) {
      hit = lookup(id);
      seen.set(id, hit);
    }
    return hit;
  };
}

export interface Rejected {
  subscriptionId: string;
  reason: RejectReason;
}

/**
 * `Users/{uid}/Messages/{mid}`, any case; the user part may carry `@{tenant}` as in Graph's own example.
 * Ids are base64-like and may be URL-encoded in the path.
 */
export function parseMessageResource(resource: string): { userId: string; messageId: string } | null {
  const m = /^\/?users\/([^/]+)\/messages\/([^/?]+)$/i.exec(resource.trim());
  if (!m?.[1] || !m[2]) return null;
  const userId = decodeURIComponent(m[1]).replace(/@[0-9a-f-]{36}$/i, '');
  return { userId, messageId: decodeURIComponent(m[2]) };
}

/** A message id Mailroom can put in a Graph URL path (mail/graph-path.ts): never empty or a dot segment. */
function isMessageId(id: string): boolean {
  return id !== '' && id !== '.' && id !== '..';
}

async function check(
  item: unknown,
  lookup: LookupSubscription,
): Promise<{ ok: true; sub: KnownSubscription; id: string } | { ok: false; rejected: Rejected }> {
  const subscriptionId = (item as { subscriptionId?: unknown } | null)?.subscriptionId;
  const id = typeof subscriptionId === 'string' ? subscriptionId : '';
  if (!id) return { ok: false, rejected: { subscriptionId: '', reason: 'malformed' } };
  const sub = await lookup(id);
  if (!sub) return { ok: false, rejected: { subscriptionId: id, reason: 'unknown_subscription' } };
  const state = (item as { clientState?: unknown }).clientState;
  if (!clientStateMatches(state, sub.clientState)) {
    return { ok: false, rejected: { subscriptionId: id, reason: 'client_state_mismatch' } };
  }
  // Graph sends one subscription's notifications from the tenant it was made in; a notification naming ours with
  // another tenant's id was not sent by Graph for us, whatever secret it carries.
  const tenant = (item as { tenantId?: unknown }).tenantId;
  if (typeof tenant === 'string' && tenant.toLowerCase() !== sub.tenantId.toLowerCase()) {
    return { ok: false, rejected: { subscriptionId: id, reason: 'tenant_mismatch' } };
  }
  return { ok: true, sub, id };
}

/**
 * Splits a webhook body into notifications to ingest and ones to drop (each with a reason to log).
 * The caller answers 202 either way: Graph must not retry a notification we refuse.
 */
export async function sortNotifications(
  body: unknown,
  lookupSubscription: LookupSubscription,
): Promise<{ accepted: AcceptedNotification[]; rejected: Rejected[]; overLimit: number }> {
  const accepted: AcceptedNotification[] = [];
  const rejected: Rejected[] = [];
  const outer = changeNotificationsSchema.safeParse(body);
  if (!outer.success) return { accepted, rejected: [{ subscriptionId: '', reason: 'malformed' }], overLimit: 0 };
  const items = outer.data.value.slice(0, MAX_NOTIFICATIONS_PER_REQUEST);
  const overLimit = outer.data.value.length - items.length;
  const lookup = oncePerId(lookupSubscription);
  for (const item of items) {
    const verdict = await check(item, lookup);
    if (!verdict.ok) {
      rejected.push(verdict.rejected);
      continue;
    }
    const parsed = changeNotification.safeParse(item);
    const where = parsed.success ? parseMessageResource(parsed.data.resource) : null;
    if (!parsed.success || !where) {
      rejected.push({ subscriptionId: verdict.id, reason: 'malformed' });
      continue;
    }
    if (parsed.data.changeType !== 'created') {
      rejected.push({ subscriptionId: verdict.id, reason: 'unsupported_change' });
      continue;
    }
    const messageId = parsed.data.resourceData?.id ?? where.messageId;
    if (!isMessageId(messageId)) {
      rejected.push({ subscriptionId: verdict.id, reason: 'malformed' });
      continue;
    }
    accepted.push({
      subscriptionId: verdict.id,
      tenantId: verdict.sub.tenantId,
      mailboxId: verdict.sub.mailboxId,
      userId: where.userId,
      messageId,
      resource: parsed.data.resource,
    });
  }
  return { accepted, rejected, overLimit };
}

/** The same for the lifecycle URL. */
export async function sortLifecycleNotifications(
  body: unknown,
  lookupSubscription: LookupSubscription,
): Promise<{ accepted: AcceptedLifecycle[]; rejected: Rejected[]; overLimit: number }> {
  const accepted: AcceptedLifecycle[] = [];
  const rejected: Rejected[] = [];
  const outer = changeNotificationsSchema.safeParse(body);
  if (!outer.success) return { accepted, rejected: [{ subscriptionId: '', reason: 'malformed' }], overLimit: 0 };
  const items = outer.data.value.slice(0, MAX_NOTIFICATIONS_PER_REQUEST);
  const overLimit = outer.data.value.length - items.length;
  const lookup = oncePerId(lookupSubscription);
  for (const item of items) {
    const verdict = await check(item, lookup);
    if (!verdict.ok) {
      rejected.push(verdict.rejected);
      continue;
    }
    const parsed = lifecycleNotificationSchema.safeParse(item);
    if (!parsed.success) {
      rejected.push({ subscriptionId: verdict.id, reason: 'malformed' });
      continue;
    }
    accepted.push({
      subscriptionId: verdict.id,
      tenantId: verdict.sub.tenantId,
      mailboxId: verdict.sub.mailboxId,
      lifecycleEvent: parsed.data.lifecycleEvent,
    });
  }
  return { accepted, rejected, overLimit };
}
