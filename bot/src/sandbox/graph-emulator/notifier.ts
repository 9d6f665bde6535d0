import { randomBytes, randomUUID } from 'node:crypto';
import { messageId } from './ids.js';
import type { EmulatorState, EmuMessage, EmuSubscription, NotificationRecord } from './types.js';

export interface NotifierOptions {
  /** Attempts per notification before it is given up (Graph retries for up to 4 hours; the sandbox is brief). */
  attempts: number;
  /** First retry delay; it doubles each time, capped at 30 s. */
  baseDelayMs: number;
}

/**
 * Graph POSTs `?validationToken=…` and expects 200, text/plain, the token echoed, within 10 s.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation
 */
export async function validateEndpoint(url: string): Promise<string | null> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status !== 200) return `${url} answered the validation request with ${res.status}`;
    if (!(res.headers.get('content-type') ?? '').startsWith('text/plain')) {
      return `${url} answered the validation request without Content-Type text/plain`;
    }
    if (text !== token) return `${url} did not echo the validation token`;
    return null;
  } catch (err) {
    return `${url} could not be reached for validation (${err instanceof Error ? err.message : String(err)})`;
  }
}

export class Notifier {
  private pending = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  stopped = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly opts: NotifierOptions,
    private readonly now: () => Date,
  ) {}

  /** A change notification for each live subscription on the message's mailbox. */
  messageCreated(m: EmuMessage): number {
    let count = 0;
    for (const sub of this.state.subscriptions.values()) {
      if (sub.userId !== m.userId || Date.parse(sub.expirationDateTime) <= this.now().getTime()) continue;
      if (!sub.changeType.split(',').includes('created')) continue;
      const id = messageId(m, sub.immutableIds);
      const item = {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: sub.expirationDateTime,
        changeType: 'created',
        resource: `Users/${sub.userId}/Messages/${id}`,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Message',
          '@odata.id': `Users/${sub.userId}/Messages/${id}`,
          '@odata.etag': `W/"CQAAABYAAAD${randomBytes(9).toString('base64url')}"`,
          id,
        },
        clientState: sub.clientState,
        tenantId: this.state.tenantId,
      };
      this.send(sub, sub.notificationUrl, 'change', { value: [item] }, id);
      count++;
    }
    return count;
  }

  lifecycle(sub: EmuSubscription, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): void {
    if (!sub.lifecycleNotificationUrl) return;
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      tenantId: this.state.tenantId,
      clientState: sub.clientState,
      lifecycleEvent: event,
    };
    this.send(sub, sub.lifecycleNotificationUrl, 'lifecycle', { value: [item] });
  }

  /** Gives up every notification in flight (the emulator is closing). */
  close(): void {
    this.shutdown.abort();
  }

  /** Resolves when every notification in flight has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private send(sub: EmuSubscription, url: string, kind: 'change' | 'lifecycle', body: unknown, msgId?: string) {
    const record: NotificationRecord = { subscriptionId: sub.id, url, kind, attempts: 0, status: 'pending' };
    if (msgId !== undefined) record.messageId = msgId;
    this.state.notifications.push(record);
    if (this.stopped) {
      record.status = 'dropped';
      return;
    }
    const p = this.deliver(record, url, JSON.stringify(body)).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async deliver(record: NotificationRecord, url: string, body: string): Promise<void> {
    for (let attempt = 0; attempt < this.opts.attempts; attempt++) {
      if (attempt > 0) await this.sleep(Math.min(30_000, this.opts.baseDelayMs * 2 ** (attempt - 1)));
      if (this.shutdown.signal.aborted) break;
      record.attempts = attempt + 1;
      try {
        // Graph's HTTP client gives up on a receiver after 3 s.
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(3_000), this.shutdown.signal]),
        });
        await res.arrayBuffer();
        if (res.status >= 200 && res.status < 300) {
          record.status = 'delivered';
          return;
        }
      } catch {
        // Not reachable or too slow: the next attempt (or giving up below) handles it.
        record.status = 'pending';
      }
    }
    record.status = 'failed';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.shutdown.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
