import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { backoffMs } from '../../../bot/src/core/retry-policy.js';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import type { Job } from '../../../bot/src/jobs/queue.js';
import { JobRegistry, type MailroomHandlers, mailroomRegistry } from '../../../bot/src/jobs/registry.js';
import { createLogger } from '../../../bot/src/log.js';

const log = createLogger('silent');

function job(kind: string, payload: unknown, attempts = 1): Job {
  return { id: 'j1', tenantId: 't1', kind, payload, attempts, createdAt: '2026-12-07T00:00:00Z', waitingSince: null };
}

function registry(handle: (payload: { emailId: string }) => Promise<void>) {
  return new JobRegistry(
    {
      'card.post': { payload: z.object({ emailId: z.string().min(1) }), handle: (_j, p) => handle(p) },
      slow: { payload: z.unknown(), handle: async () => undefined, retry: { maxAttempts: 2 } },
    },
    { maxAttempts: 5, baseMs: 1_000, maxMs: 60_000 },
  );
}

describe('JobRegistry', () => {
  it('runs the handler with the payload its schema parsed', async () => {
    const seen: unknown[] = [];
    await registry(async (p) => void seen.push(p)).run(job('card.post', { emailId: 'e1' }), log);
    expect(seen).toEqual([{ emailId: 'e1' }]);
  });

  it('refuses a kind it does not know, without retry, and names the kind', async () => {
    const seen: unknown[] = [];
    const r = registry(async (p) => void seen.push(p));
    const failure = await r.run(job('card.nope', { emailId: 'e1' }), log).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailroomError);
    expect((failure as MailroomError).message).toContain('"card.nope"');
    expect(r.afterFailure(job('card.nope', {}), failure)).toEqual({ retry: false });
    // An inherited property is not a kind either.
    await expect(r.run(job('toString', {}), log)).rejects.toThrow('No handler for job kind "toString"');
    expect(seen).toEqual([]);
  });

  it('fails a payload its schema refuses at once, with the reason, and never calls the handler', async () => {
    const seen: unknown[] = [];
    const r = registry(async (p) => void seen.push(p));
    const failure = await r.run(job('card.post', { emailId: '' }), log).catch((e: unknown) => e);
    expect((failure as MailroomError).code).toBe('bad_request');
    expect((failure as MailroomError).message).toMatch(/card\.post job's payload is not valid \(emailId: .+\)/);
    expect(r.afterFailure(job('card.post', {}), failure)).toEqual({ retry: false });
    expect(seen).toEqual([]);
  });

  it('gives up at once on a non-retryable error, and retries a passing one until the kind has no tries left', () => {
    const r = registry(async () => undefined);
    const refused = new MailroomError('netsuite_validation', 'The record is closed.');
    expect(r.afterFailure(job('card.post', {}, 1), refused)).toEqual({ retry: false });
    const outage = new MailroomError('netsuite_unavailable', 'NetSuite answered 503');
    expect(r.afterFailure(job('card.post', {}, 4), outage)).toMatchObject({ retry: true });
    expect(r.afterFailure(job('card.post', {}, 5), outage)).toEqual({ retry: false });
    // A kind's own policy wins over the default.
    expect(r.afterFailure(job('slow', {}, 2), outage)).toEqual({ retry: false });
  });

  it('waits as long as the service asked (Retry-After), however early the attempt', () => {
    const r = registry(async () => undefined);
    const throttled = new MailroomError('graph_throttled', 'Graph answered 429', { retryAfterSeconds: 42 });
    expect(r.afterFailure(job('card.post', {}, 1), throttled)).toEqual({ retry: true, delayMs: 42_000 });
  });

  it('backs off exponentially with jitter between half and the whole ceiling, capped', () => {
    const b = { baseMs: 1_000, maxMs: 10_000 };
    for (let i = 0; i < 50; i++) {
      const first = backoffMs(1, b);
      expect(first).toBeGreaterThanOrEqual(500);
      expect(first).toBeLessThanOrEqual(1_000);
      const third = backoffMs(3, b);
      expect(third).toBeGreaterThanOrEqual(2_000);
      expect(third).toBeLessThanOrEqual(4_000);
      expect(backoffMs(30, b)).toBeLessThanOrEqual(10_000);
    }
  });

  it('looks again after a deferral often at first, then after about half the time waited, until the wait limit', () => {
    const r = new JobRegistry(
      { reply: { payload: z.unknown(), handle: async () => undefined, retry: { maxWaitMs: 600_000 } } },
      { baseMs: 1_000, maxMs: 60_000 },
    );
    const reply = job('reply', {});
    const delay = (waitedMs: number) => {
      const d = r.afterDeferral(reply, waitedMs);
      if (!d.wait) throw new Error(`no wait after ${waitedMs} ms`);
      return d.delayMs;
    };
    for (let i = 0; i < 50; i++) {
      expect(delay(0)).toBeGreaterThanOrEqual(500);
      expect(delay(0)).toBeLessThanOrEqual(1_000);
      expect(delay(20_000)).toBeGreaterThanOrEqual(5_000);
      expect(delay(20_000)).toBeLessThanOrEqual(10_000);
      expect(delay(400_000)).toBeGreaterThanOrEqual(30_000);
      expect(delay(400_000)).toBeLessThanOrEqual(60_000);
      // The last look falls on the limit, not past it.
      expect(delay(590_000)).toBeLessThanOrEqual(10_000);
    }
    expect(r.afterDeferral(reply, 600_000)).toEqual({ wait: false });
    // Waits are bounded by time, not tries: the kind's attempts do not end them.
    expect(r.afterDeferral(job('reply', {}, 50), 1_000)).toMatchObject({ wait: true });
  });

  it("Mailroom's registry checks each kind against core's schema", async () => {
    const saved: string[] = [];
    const noop = { handle: async () => undefined };
    const handlers: MailroomHandlers = {
      [JobKind.ingest]: noop,
      [JobKind.postCard]: noop,
      [JobKind.updateCard]: noop,
      [JobKind.suggest]: noop,
      [JobKind.save]: { handle: async (_j, p) => void saved.push(p.associationId) },
      [JobKind.category]: noop,
      [JobKind.renew]: noop,
      [JobKind.catchup]: noop,
      [JobKind.autopilotApply]: noop,
    };
    const r = mailroomRegistry(handlers);
    expect(r.kinds().sort()).toEqual(Object.values(JobKind).sort());
    await r.run(job(JobKind.save, { associationId: 'a1' }), log);
    await expect(r.run(job(JobKind.save, { emailId: 'e1' }), log)).rejects.toThrow(/associationId/);
    expect(saved).toEqual(['a1']);
  });
});
