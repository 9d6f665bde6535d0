import type { Logger } from 'pino';
import type { z } from 'zod';
import { errorPolicy } from '../core/error-policy.js';
import { MailroomError, toMailroomError } from '../core/errors.js';
import { type JobKindName, jobPayloads, type PayloadOf } from '../core/job-kinds.js';
import {
  decideRetry,
  decideWait,
  type RetryDecision,
  type RetryPolicy,
  type WaitDecision,
} from '../core/retry-policy.js';
import type { Job } from './queue.js';

/** One kind of job: the shape of its payload, what runs it, and how often it is tried. */
export interface JobKindSpec<P> {
  payload: z.ZodType<P, z.ZodTypeDef, unknown>;
  handle: (job: Job, payload: P, log: Logger) => Promise<unknown>;
  /** Overrides of the registry's default policy for this kind. */
  retry?: Partial<RetryPolicy>;
}

// biome-ignore lint/suspicious/noExplicitAny: a table of kinds holds a different payload type in each row.
export type JobKindTable = Record<string, JobKindSpec<any>>;

/** Mailroom's handlers, one per kind of core/job-kinds.ts: the compiler refuses a kind missing or named twice. */
export type MailroomHandlers = { [K in JobKindName]: Omit<JobKindSpec<PayloadOf<K>>, 'payload'> };

/** Mailroom's registry: each kind's schema from core/job-kinds.ts, beside its handler and retry policy. */
export function mailroomRegistry(handlers: MailroomHandlers, defaults: Partial<RetryPolicy> = {}): JobRegistry {
  const table: JobKindTable = {};
  for (const kind of Object.keys(handlers) as JobKindName[]) {
    table[kind] = { ...handlers[kind], payload: jobPayloads[kind] };
  }
  return new JobRegistry(table, defaults);
}

/**
 * 12 tries over about 20 minutes. A wait for another job may last an hour: longer than the job waited on can keep
 * retrying, so it is that job's failure, not the wait's limit, that normally ends a wait.
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 12, baseMs: 1_000, maxMs: 5 * 60_000, maxWaitMs: 60 * 60_000 };

/**
 * Every job kind a worker can run, each registered once with its payload schema, its handler and its retry
 * policy. A job of a kind not here, or whose payload its schema refuses, fails at once with the reason kept;
 * retrying would not change it.
 */
export class JobRegistry {
  private readonly defaults: RetryPolicy;

  constructor(
    private readonly table: JobKindTable,
    defaults: Partial<RetryPolicy> = {},
  ) {
    this.defaults = { ...DEFAULT_RETRY, ...defaults };
  }

  kinds(): string[] {
    return Object.keys(this.table);
  }

  /** The policy a kind is tried under. */
  policy(kind: string): RetryPolicy {
    return { ...this.defaults, ...this.table[kind]?.retry };
  }

  /** Checks the job's kind and payload, then runs its handler. Throws what the handler throws. */
  async run(job: Job, log: Logger): Promise<void> {
    const spec = Object.hasOwn(this.table, job.kind) ? this.table[job.kind] : undefined;
    if (!spec) throw new MailroomError('bad_request', `No handler for job kind "${job.kind}".`);
    const parsed = spec.payload.safeParse(job.payload);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      throw new MailroomError('bad_request', `The ${job.kind} job's payload is not valid (${why}).`);
    }
    await spec.handle(job, parsed.data, log);
  }

  /** After a failed try: when the next one runs, or that there is none. Retry-After from the service wins. */
  afterFailure(job: Job, raw: unknown): RetryDecision {
    const err = toMailroomError(raw);
    return decideRetry(this.policy(job.kind), job.attempts, {
      retryable: errorPolicy(err.code).retry,
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }

  /** After a deferral, having waited `waitedMs` since the first: when to look again, or that the wait is over. */
  afterDeferral(job: Job, waitedMs: number): WaitDecision {
    return decideWait(this.policy(job.kind), waitedMs);
  }
}
