import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmuContext, Route } from './context.js';
import { graphError, match, type Req, sendJson } from './http.js';
import { validateEndpoint } from './notifier.js';
import { ACCEPTS, permitted } from './permissions.js';
import { bodyAccepted, queryAccepted } from './query-options.js';
import { findUser } from './store.js';
import type { EmuSubscription } from './types.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function subscriptionJson(ctx: EmuContext, s: EmuSubscription): Record<string, unknown> {
  return {
    '@odata.context': `${ctx.url()}/v1.0/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: ctx.clientId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
    creatorId: ctx.clientId,
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

/** 400 unless the expiry is in the future and within the lifetime Graph allows for messages. */
function badExpiry(ctx: EmuContext, value: unknown): string | null {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return 'expirationDateTime is required.';
  const minutes = (at - ctx.now().getTime()) / 60_000;
  if (minutes <= 0) return 'Subscription expiration must be in the future.';
  if (minutes > ctx.maxSubscriptionMinutes) {
    return `Subscription expiration can only be ${ctx.maxSubscriptionMinutes} minutes in the future.`;
  }
  return null;
}

/** Graph requires https; the emulator also takes plain http on loopback, like Mailroom's PUBLIC_URL rule. */
function badUrl(raw: unknown): boolean {
  try {
    const u = new URL(String(raw));
    return !(u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
  } catch {
    return true;
  }
}

function live(ctx: EmuContext, id: string): EmuSubscription | undefined {
  const s = ctx.state.subscriptions.get(id);
  if (s && Date.parse(s.expirationDateTime) <= ctx.now().getTime()) {
    ctx.state.subscriptions.delete(id);
    return undefined;
  }
  return s;
}

/** https://learn.microsoft.com/graph/api/resources/subscription#properties (the ones a client sets) */
const CREATABLE = [
  'changeType',
  'clientState',
  'encryptionCertificate',
  'encryptionCertificateId',
  'expirationDateTime',
  'includeResourceData',
  'latestSupportedTlsVersion',
  'lifecycleNotificationUrl',
  'notificationQueryOptions',
  'notificationUrl',
  'notificationUrlAppId',
  'resource',
];
/** https://learn.microsoft.com/graph/api/subscription-update#request-body */
const UPDATABLE = ['expirationDateTime', 'notificationUrl'];
const SUBSCRIPTION = 'microsoft.graph.subscription';

async function create(req: Req, res: ServerResponse, ctx: EmuContext): Promise<void> {
  if (!permitted(req, res, ACCEPTS.messageSubscription, { subscription: 'Create' })) return;
  const b = req.json<Record<string, unknown>>() ?? {};
  if (!bodyAccepted(req, res, b, SUBSCRIPTION, CREATABLE)) return;
  const resource = String(b.resource ?? '');
  const r = /^\/?(?:me|users\/([^/]+))\/(?:mailFolders\/[^/]+\/)?messages$/i.exec(resource);
  const user = r?.[1] ? findUser(ctx.state, r[1]) : undefined;
  const bad = (message: string) => graphError(res, req, 400, 'ExtensionError', message);
  if (!r) return bad(`Resource '${resource}' is not supported by the sandbox: use users/{id}/messages.`);
  if (!user) return graphError(res, req, 404, 'ExtensionError', `Resource not found: the user '${r[1]}' is unknown.`);
  if (ctx.faults.denied.has(user.id)) return graphError(res, req, 403, 'ExtensionError', 'Access is denied.');
  if (typeof b.changeType !== 'string' || b.changeType === '') return bad('changeType is required.');
  if (badUrl(b.notificationUrl)) return bad('notificationUrl must be an https:// URL.');
  if (b.lifecycleNotificationUrl !== undefined && badUrl(b.lifecycleNotificationUrl)) {
    return bad('lifecycleNotificationUrl must be an https:// URL.');
  }
  if (typeof b.clientState === 'string' && b.clientState.length > 128) return bad('clientState is too long.');
  const expiry = badExpiry(ctx, b.expirationDateTime);
  if (expiry) return bad(expiry);
  // Graph validates every endpoint before it creates the subscription.
  for (const url of [b.notificationUrl, b.lifecycleNotificationUrl].filter((u) => u !== undefined)) {
    const problem = await validateEndpoint(String(url));
    if (problem) {
      return graphError(res, req, 400, 'ValidationError', `Subscription validation request failed. ${problem}`);
    }
  }
  const sub: EmuSubscription = {
    id: randomUUID(),
    userId: user.id,
    resource,
    changeType: b.changeType,
    notificationUrl: String(b.notificationUrl),
    lifecycleNotificationUrl: typeof b.lifecycleNotificationUrl === 'string' ? b.lifecycleNotificationUrl : null,
    clientState: typeof b.clientState === 'string' ? b.clientState : null,
    expirationDateTime: new Date(Date.parse(String(b.expirationDateTime))).toISOString(),
    immutableIds: req.immutable,
  };
  ctx.state.subscriptions.set(sub.id, sub);
  sendJson(res, 201, subscriptionJson(ctx, sub));
}

/** https://learn.microsoft.com/graph/api/resources/subscription */
export const subscriptionsRoute: Route = async (req, res, ctx) => {
  const isSubscriptions = req.path.toLowerCase().startsWith('/v1.0/subscriptions');
  // Subscriptions take no OData options: Graph answers "Query option 'Select' is not allowed".
  if (isSubscriptions && !queryAccepted(req, res, [])) return true;
  if (req.path.toLowerCase() === '/v1.0/subscriptions') {
    if (req.method === 'POST') {
      await create(req, res, ctx);
      return true;
    }
    return false;
  }
  const reauth = match('/v1.0/subscriptions/:id/reauthorize', req.path);
  const one = match('/v1.0/subscriptions/:id', req.path);
  const m = reauth ?? one;
  if (!m) return false;
  const op = req.method === 'GET' ? 'Get' : req.method === 'DELETE' ? 'Delete' : 'Update';
  if (!permitted(req, res, ACCEPTS.messageSubscription, { subscription: op })) return true;
  const sub = live(ctx, m.id ?? '');
  if (!sub) {
    graphError(res, req, 404, 'ResourceNotFound', 'The object was not found.');
    return true;
  }
  if (reauth && req.method === 'POST') {
    // "Don't supply a request body for this method." https://learn.microsoft.com/graph/api/subscription-reauthorize
    if (req.body.trim() !== '') {
      graphError(res, req, 400, 'BadRequest', 'The reauthorize action takes no request body.');
      return true;
    }
    res.writeHead(204);
    res.end();
  } else if (one && req.method === 'GET') {
    sendJson(res, 200, subscriptionJson(ctx, sub));
  } else if (one && req.method === 'PATCH') {
    const b = req.json<Record<string, unknown>>() ?? {};
    const expiry = badExpiry(ctx, b.expirationDateTime);
    if (!bodyAccepted(req, res, b, SUBSCRIPTION, UPDATABLE)) return true;
    if (expiry) graphError(res, req, 400, 'ExtensionError', expiry);
    else {
      sub.expirationDateTime = new Date(Date.parse(String(b.expirationDateTime))).toISOString();
      sendJson(res, 200, subscriptionJson(ctx, sub));
    }
  } else if (one && req.method === 'DELETE') {
    ctx.state.subscriptions.delete(sub.id);
    res.writeHead(204);
    res.end();
  } else {
    return false;
  }
  return true;
};
