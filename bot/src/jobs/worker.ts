import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { errorPolicy } from '../core/error-policy.js';
import { Deferral, MailroomError, toMailroomError } from '../core/errors.js';
import type { Job, JobQueue, LeaseOrder } from './queue.js';
import type { JobRegistry } from './registry.js';

export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /**
   * Lease again only once this many jobs can be taken (or none is running): one lease statement per few jobs in a
   * burst, rather than one per job as each finishes. Defaults to a quarter of `concurrency`.
   */
  leaseBatch?: number;
  /** Which kinds to take first and last (queue.lease). */
  order?: LeaseOrder;
  /**
   * Jobs of the `order.last` kinds run at most this many at once; defaults to a quarter of `concurrency`. They are
   * the background lookups (NetSuite suggestions, autopilot checks), which hold a slot for several calls and wait
   * for NetSuite's concurrency permits meanwhile: without a cap, a burst's lookups filled the slots its cards
   * needed whenever no card was due for a moment.
   */
  lastMax?: number;
}

/** Runs jobs from the queue: leases them, runs each through the registry, and records the outcome. */
export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private running = false;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private readonly idleWaiters = new Set<() => void>();
  private readonly opts: Required<Omit<WorkerOptions, 'order'>> & Pick<WorkerOptions, 'order'>;
  /** The `order.last` kinds, capped together at `lastMax` running at once. */
  private readonly lastKinds: ReadonlySet<string>;
  /** Jobs of those kinds running now. */
  private lastInFlight = 0;
  private unsubscribe: (() => void) | undefined;
  /** At most this many jobs at once for now, under `concurrency` (`limit`). */
  private ceiling = Number.POSITIVE_INFINITY;
  /** Jobs finished in this turn of the event loop, to be marked done together (`complete`). */
  private finished: Array<{ id: string; resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly log: Logger,
    opts: WorkerOptions = {},
  ) {
    const concurrency = opts.concurrency ?? 16;
    this.opts = {
      concurrency,
      leaseBatch: Math.max(1, Math.min(concurrency, opts.leaseBatch ?? Math.floor(concurrency / 4))),
      lastMax: Math.max(1, Math.min(concurrency, opts.lastMax ?? Math.floor(concurrency / 4))),
      ...(opts.order ? { order: opts.order } : {}),
      pollMs: opts.pollMs ?? 500,
      leaseMs: opts.leaseMs ?? 60_000,
    };
    this.lastKinds = new Set(opts.order?.last ?? []);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.queue.onEnqueue(() => this.wake?.());
    this.loopDone = this.loop();
  }

  /**
   * Runs at most `max` jobs at once from now on (the jobs in hand finish), or again up to `concurrency` when
   * `max` is undefined.
   */
  limit(max: number | undefined): void {
    this.ceiling = max === undefined ? Number.POSITIVE_INFINITY : Math.max(0, max);
    if (max === undefined) this.wake?.();
  }

  /** Looks for due jobs now rather than at the next poll: another thread or process has just enqueued one. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loopDone;
    while (this.inFlight > 0) await new Promise<void>((r) => this.idleWaiters.add(r));
  }

  /** Runs every due job once, here and now (tests and the sandbox use this to settle). */
  async drain(maxRounds = 50): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.tick();
      while (this.inFlight > 0) await new Promise<void>((r) => this.idleWaiters.add(r));
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let leased = 0;
      try {
        leased = await this.tick();
      } catch (err) {
        this.log.error({ err }, 'job lease failed; trying again at the next poll');
      }
      if (!this.running) break;
      if (leased > 0 && this.canLease()) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs);
      });
      clearTimeout(this.timer);
      this.wake = undefined;
    }
  }

  /** Enough room for a batch, or nothing running (a lone job is not held back waiting for company). */
  private canLease(): boolean {
    return this.inFlight === 0 || this.room() >= Math.min(this.opts.leaseBatch, this.ceiling);
  }

  /** How many more jobs may start now. */
  private room(): number {
    return Math.min(this.opts.concurrency, this.ceiling) - this.inFlight;
  }

  private async tick(): Promise<number> {
    const free = this.room();
    if (free <= 0) return 0;
    const kinds = this.registry.kinds();
    const capped = this.lastKinds.size > 0;
    const jobs = await this.queue.lease(this.id, {
      limit: free,
      leaseMs: this.opts.leaseMs,
      kinds,
      ...(this.opts.order ? { order: this.opts.order } : {}),
      ...(capped ? { lastLimit: Math.max(0, this.opts.lastMax - this.lastInFlight) } : {}),
    });
    for (const job of jobs) {
      const isLast = this.lastKinds.has(job.kind);
      this.inFlight++;
      if (isLast) this.lastInFlight++;
      void this.run(job).finally(() => {
        this.inFlight--;
        if (isLast) this.lastInFlight--;
        if (this.canLease()) this.wake?.();
        if (this.inFlight === 0) {
          for (const r of this.idleWaiters) r();
          this.idleWaiters.clear();
        }
      });
    }
    return jobs.length;
  }

  private async run(job: Job): Promise<void> {
    const log = this.log.child({ jobId: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts });
    // The lease says "this worker is alive", not "this job is quick": a job that waits (Teams' pacing, NetSuite's
    // concurrency budget) keeps it renewed, so no other worker takes the job over and runs it a second time while
    // this one is still at it. Only a dead worker's lease runs out.
    const renew = setInterval(
      () => {
        this.queue.extendLease(job.id, this.id, this.opts.leaseMs).then(
          (held) => {
            if (!held) log.warn('the job was taken over by another worker while it ran');
          },
          (err: unknown) => log.warn({ err }, 'could not renew the job lease'),
        );
      },
      Math.max(50, this.opts.leaseMs / 3),
    );
    renew.unref();
    try {
      try {
        await this.registry.run(job, log);
      } finally {
        clearInterval(renew);
      }
      await this.complete(job.id);
    } catch (raw) {
      if (raw instanceof Deferral) return this.defer(job, raw, log);
      const err = toMailroomError(raw);
      const policy = errorPolicy(err.code);
      const detail = { code: err.code, message: err.message };
      const next = this.registry.afterFailure(job, err);
      try {
        if (next.retry) {
          // A coded failure that is retried is an expected state (throttled, a card not posted yet): its code and
          // words say it all, so no stack. An uncoded one is a defect, and keeps its stack.
          const why =
            raw instanceof MailroomError
              ? {
                  code: err.code,
                  reason: err.message,
                  cause: err.cause instanceof Error ? err.cause.message : undefined,
                }
              : { err: raw, code: err.code };
          log.warn({ ...why, delayMs: next.delayMs }, 'job failed; retrying later');
          await this.queue.retryLater(job.id, this.id, next.delayMs, detail);
        } else {
          log[policy.level]({ err: raw, code: err.code }, 'job failed for good');
          await this.queue.fail(job.id, this.id, detail);
        }
      } catch (recordErr) {
        // The lease will run out and another worker will pick the job up again: nothing is lost.
        log.error({ err: recordErr }, 'could not record the job outcome');
      }
    }
  }

  /**
   * Marks a job done, together with the others that finish in the same turn of the event loop: in a burst, one
   * UPDATE for several jobs instead of one each. Resolves once the row says done; a job whose mark fails is retried
   * like a failed run (its handlers are idempotent), as a single mark's failure was.
   */
  private complete(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.finished.length === 0) setImmediate(() => void this.markFinished());
      this.finished.push({ id, resolve, reject });
    });
  }

  private async markFinished(): Promise<void> {
    const batch = this.finished;
    this.finished = [];
    try {
      await this.queue.completeMany(
        batch.map((f) => f.id),
        this.id,
      );
      for (const f of batch) f.resolve();
    } catch (err) {
      for (const f of batch) f.reject(err);
    }
  }

  /** A job waiting for another: it runs again later without spending an attempt, or fails once it waited too long. */
  private async defer(job: Job, d: Deferral, log: Logger): Promise<void> {
    const waitedMs = job.waitingSince ? Math.max(0, this.queue.now().getTime() - Date.parse(job.waitingSince)) : 0;
    const next = this.registry.afterDeferral(job, waitedMs);
    try {
      if (next.wait) {
        // One line when the wait starts; then quiet, as a burst's replies each look a few times for their thread.
        log[job.waitingSince ? 'debug' : 'info'](
          { code: d.code, reason: d.message, waitedMs, delayMs: next.delayMs },
          'job waits for another job; it runs again later without spending an attempt',
        );
        await this.queue.defer(job.id, this.id, next.delayMs, { code: d.code, message: d.message });
      } else {
        const minutes = Math.round(waitedMs / 60_000);
        const detail = { code: d.expiredCode, message: `Gave up after waiting ${minutes} min: ${d.message}` };
        log.error({ ...detail, waitedMs }, 'job waited too long for another job; failed for good');
        await this.queue.fail(job.id, this.id, detail);
      }
    } catch (recordErr) {
      // The lease will run out and another worker will pick the job up again: nothing is lost.
      log.error({ err: recordErr }, 'could not record the job outcome');
    }
  }
}
