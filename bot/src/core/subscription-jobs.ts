import { type CatchupPayload, JobKind, type RenewPayload } from './job-kinds.js';
import type { JobRequest } from './ports.js';

/** Below this much lifetime left, renew now rather than at the half-way mark. */
const RENEW_NOW_MS = 2 * 60_000;

/**
 * Renew at about half the remaining lifetime: a renewal that fails (Graph down, throttled) then has the other
 * half to succeed in. https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime
 */
export function renewAt(expiresAt: string, now: Date): Date {
  const left = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(left) || left <= RENEW_NOW_MS) return now;
  return new Date(now.getTime() + Math.floor(left / 2));
}

/** The scheduled renewal of one subscription: one row per subscription waits at a time. */
export function renewJob(
  sub: { id: string; tenantId: string; mailboxId: string; expiresAt: string },
  now: Date,
): JobRequest {
  const payload: RenewPayload = { subscriptionId: sub.id, mailboxId: sub.mailboxId, action: 'renew' };
  return {
    tenantId: sub.tenantId,
    kind: JobKind.renew,
    payload,
    dedupeKey: `${JobKind.renew}:${sub.id}`,
    runAt: renewAt(sub.expiresAt, now),
  };
}

/** A delta catch-up of one mailbox; one waits per mailbox at a time, so asking again meanwhile is a no-op. */
export function catchupJob(tenantId: string, mailboxId: string, reason: string): JobRequest {
  const payload: CatchupPayload = { mailboxId, reason };
  return { tenantId, kind: JobKind.catchup, payload, dedupeKey: `${JobKind.catchup}:${mailboxId}` };
}
