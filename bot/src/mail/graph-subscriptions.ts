import { MailroomError } from '../core/errors.js';
import type { SubscriptionInfo } from '../core/ports.js';
import type { GraphCaller } from './graph-caller.js';
import { graphSegment } from './graph-path.js';

/**
 * Lifetimes for message subscriptions. Newer docs quote 10,080 minutes, live Graph answers
 * "Subscription expiration can only be 10070 minutes in the future", and older tenants cap at 4,230.
 * So ask for just under 10,070 (clock skew), and on HTTP 400 fall back to just under 4,230.
 * https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime
 */
export const LONG_LIFETIME_MINUTES = 10_060;
export const SHORT_LIFETIME_MINUTES = 4_200;

export interface CreateSubscriptionInput {
  userId: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
}

interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
}

function toInfo(s: GraphSubscription): SubscriptionInfo {
  return { id: s.id, expiresAt: s.expirationDateTime, resource: s.resource };
}

function expiry(graph: GraphCaller, minutes: number): string {
  return new Date(graph.clock().getTime() + minutes * 60_000).toISOString();
}

/** Tries the long lifetime, then the short one when Graph answers 400. */
async function withLifetimeFallback<T>(send: (minutes: number) => Promise<T>): Promise<T> {
  try {
    return await send(LONG_LIFETIME_MINUTES);
  } catch (err) {
    if (err instanceof MailroomError && err.status === 400) return send(SHORT_LIFETIME_MINUTES);
    throw err;
  }
}

/**
 * `users/{id}/messages` covers every folder, so mail that a rule files into a subfolder is seen too.
 * Graph validates both URLs (a validationToken POST) before it answers.
 */
export function createSubscription(graph: GraphCaller, input: CreateSubscriptionInput): Promise<SubscriptionInfo> {
  if (input.clientState.length > 128) {
    throw new MailroomError('bad_request', 'clientState is longer than Graph allows (128 characters)');
  }
  return withLifetimeFallback((minutes) =>
    graph.run('other', `Create the mail subscription for ${input.userId}`, async () => {
      const created = (await graph.api('/subscriptions').post({
        changeType: 'created',
        resource: `users/${input.userId}/messages`,
        notificationUrl: input.notificationUrl,
        lifecycleNotificationUrl: input.lifecycleNotificationUrl,
        clientState: input.clientState,
        expirationDateTime: expiry(graph, minutes),
        latestSupportedTlsVersion: 'v1_2',
      })) as GraphSubscription;
      return toInfo(created);
    }),
  );
}

/** PATCH the expiry (which also reauthorizes). A 404 throws graph_subscription_not_found: create it again. */
export function renewSubscription(graph: GraphCaller, id: string): Promise<SubscriptionInfo> {
  return withLifetimeFallback((minutes) =>
    graph.run('subscription', `Renew subscription ${id}`, async () => {
      const renewed = (await graph
        .api(`/subscriptions/${graphSegment(id)}`)
        .patch({ expirationDateTime: expiry(graph, minutes) })) as GraphSubscription;
      return toInfo(renewed);
    }),
  );
}

export async function reauthorizeSubscription(graph: GraphCaller, id: string): Promise<void> {
  await graph.run('subscription', `Reauthorize subscription ${id}`, () =>
    // The page says to send no body. https://learn.microsoft.com/graph/api/subscription-reauthorize
    graph.api(`/subscriptions/${graphSegment(id)}/reauthorize`).post(undefined),
  );
}

/**
 * Whether Graph still has the subscription: null on 404 (deleted, expired, or lost while Mailroom was down).
 * The page sends no body and names the same permission as creating it (Mail.Read for messages).
 * https://learn.microsoft.com/graph/api/subscription-get
 */
export async function getSubscription(graph: GraphCaller, id: string): Promise<SubscriptionInfo | null> {
  try {
    return await graph.run('subscription', `Check subscription ${id}`, async () =>
      toInfo((await graph.api(`/subscriptions/${graphSegment(id)}`).get()) as GraphSubscription),
    );
  } catch (err) {
    if (err instanceof MailroomError && err.code === 'graph_subscription_not_found') return null;
    throw err;
  }
}

/** Deleting a subscription Graph no longer has is not an error: the goal is reached. */
export async function deleteSubscription(graph: GraphCaller, id: string): Promise<void> {
  try {
    await graph.run('subscription', `Delete subscription ${id}`, () =>
      graph.api(`/subscriptions/${graphSegment(id)}`).delete(),
    );
  } catch (err) {
    if (err instanceof MailroomError && err.code === 'graph_subscription_not_found') return;
    throw err;
  }
}
