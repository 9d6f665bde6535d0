import type { Logger } from 'pino';
import { ingestJob } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Db } from '../store/db.js';
import { isBusy } from '../store/intake-db.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import {
  type LookupSubscription,
  sortLifecycleNotifications,
  sortNotifications,
  summarizeDrops,
} from './notifications.js';

export interface IntakeDeps {
  db: Db;
  queue: JobQueue;
  mailboxes: MailboxRepo;
  clock: () => Date;
  /** Runs a write again while the database is briefly locked (store/intake-db.ts); once, when not given. */
  whileBusy?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** What to do with an accepted lifecycle event (issue 5: reauthorize, re-create, catch up). */
  onLifecycle?: (event: {
    subscriptionId: string;
    tenantId: string;
    mailboxId: string;
    lifecycleEvent: string;
  }) => Promise<void>;
}

function lookup(mailboxes: MailboxRepo): LookupSubscription {
  return async (id) => {
    const sub = await mailboxes.subscription(id);
    return sub && sub.status === 'active'
      ? { tenantId: sub.tenantId, mailboxId: sub.mailboxId, clientState: sub.clientState }
      : null;
  };
}

/**
 * Subscription lookups remembered for `ttlMs`: a burst names the same few subscriptions thousands of times. Only
 * live subscriptions are remembered; one removed meanwhile may still be accepted for up to `ttlMs`, and its ingest
 * job then finds the mailbox unwatched and does nothing.
 *
 * Requests that miss while a lookup of the same id is on its way share it. Without that, every request arriving in
 * the few ms before the first answer (at start, and each time an entry runs out, in a burst) ran a SELECT of its
 * own: at 2,000 notifications/s, over a hundred at once queued for the server's pool of ten, ahead of the
 * Dashboard's and the card clicks' queries, and each of those requests waited its turn before its commit.
 */
export function cachedLookup(mailboxes: MailboxRepo, ttlMs = 15_000, max = 10_000): LookupSubscription {
  const direct = lookup(mailboxes);
  type Found = Awaited<ReturnType<LookupSubscription>>;
  const cache = new Map<string, { value: Found; until: number }>();
  const pending = new Map<string, Promise<Found>>();
  return (id) => {
    const hit = cache.get(id);
    if (hit && hit.until > Date.now()) return hit.value;
    let p = pending.get(id);
    if (!p) {
      p = Promise.resolve(direct(id))
        .then((value) => {
          if (value) {
            if (cache.size >= max) cache.clear();
            cache.set(id, { value, until: Date.now() + ttlMs });
          }
          return value;
        })
        .finally(() => pending.delete(id));
      pending.set(id, p);
    }
    return p;
  };
}

type Accepted = Awaited<ReturnType<typeof sortNotifications>>['accepted'][number];

/**
 * A batch's ingest jobs, in one INSERT, which is its own transaction: on PostgreSQL each statement is a round trip,
 * and a BEGIN and COMMIT around it would be two more, all before Graph gets its 202.
 */
async function commitAccepted(deps: IntakeDeps, accepted: Accepted[]): Promise<void> {
  const jobs = accepted.map((n) =>
    ingestJob(n.tenantId, { mailboxId: n.mailboxId, messageId: n.messageId, subscriptionId: n.subscriptionId }),
  );
  await whileBusy(deps, () => deps.queue.enqueueMany(jobs));
}

const whileBusy = <T>(deps: IntakeDeps, fn: () => Promise<T>) => (deps.whileBusy ? deps.whileBusy(fn) : fn());

/** How often a mailbox's last-notification time (the Dashboard's health) is written, at most. */
const TOUCH_EVERY_MS = 1_000;

/**
 * Group commit for notification requests. While one INSERT commits, the requests that arrive meanwhile wait and
 * then share the next one, so a burst costs a few statements instead of one per request, and a lone request waits
 * for nothing. Each caller is answered only once its own notifications are committed; if a shared INSERT fails, its
 * requests are committed one by one, so one bad request cannot fail the others.
 */
export class IntakeCommitter {
  private queue: Array<{ items: Accepted[]; done: (err?: unknown) => void }> = [];
  private running = false;
  private readonly touched = new Map<string, number>();
  private stamping: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: IntakeDeps,
    private readonly maxItems = 500,
    /** Notifications stored, as each batch commits (main.ts's flood meter counts them). */
    private readonly onStored: (notifications: number) => void = () => undefined,
  ) {}

  commit(items: Accepted[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        try {
          const items = batch.flatMap((b) => b.items);
          await commitAccepted(this.deps, items);
          for (const b of batch) b.done();
          this.stored(items);
        } catch (err) {
          // A database still locked after the wait (store/intake-db.ts) would be as locked for each request alone:
          // they all get their 503 now, and Graph delivers them again.
          if (batch.length === 1 || isBusy(err)) {
            for (const b of batch) b.done(err ?? new Error('commit failed'));
            continue;
          }
          for (const b of batch) {
            await commitAccepted(this.deps, b.items).then(
              () => {
                b.done();
                this.stored(b.items);
              },
              (e: unknown) => b.done(e ?? new Error('commit failed')),
            );
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** After a commit, once its requests are answered: the mailboxes' stamps, and the count for `onStored`. */
  private stored(items: Accepted[]): void {
    this.stamp(items);
    this.onStored(items.length);
  }

  /**
   * Each mailbox's last-notification time, once its jobs are stored, and at most once a second per mailbox: in a
   * burst, most batches skip it. Health reads it in minutes. It is written after the batch's requests are answered
   * and beside the next INSERT (the intake's second connection), not before: on PostgreSQL the UPDATE is one more
   * commit, and its WAL flush (a few ms, at times 100 ms on a busy disk) held up a batch a second and every request
   * queued behind it.
   */
  private stamp(items: Accepted[]): void {
    const now = this.deps.clock();
    const due = [...new Map(items.map((i) => [`${i.tenantId}/${i.mailboxId}`, i])).entries()].filter(
      ([key]) => now.getTime() - (this.touched.get(key) ?? Number.NEGATIVE_INFINITY) >= TOUCH_EVERY_MS,
    );
    if (due.length === 0) return;
    for (const [key] of due) this.touched.set(key, now.getTime());
    this.stamping = this.stamping.then(async () => {
      for (const [key, n] of due) {
        // The jobs are stored: a failed health stamp must not fail the 202. The next batch tries it again.
        await whileBusy(this.deps, () =>
          this.deps.mailboxes.touchNotification(n.tenantId, n.mailboxId, now.toISOString()),
        ).catch(() => this.touched.delete(key));
      }
    });
  }

  /** Resolves once the health stamps of the batches answered so far are written (or given up on). */
  stamped(): Promise<void> {
    return this.stamping;
  }

  private takeBatch() {
    let n = 0;
    let k = 0;
    while (k < this.queue.length && (k === 0 || n + (this.queue[k]?.items.length ?? 0) <= this.maxItems)) {
      n += this.queue[k]?.items.length ?? 0;
      k++;
    }
    return this.queue.splice(0, k);
  }
}

/**
 * Checks each change notification against its subscription's clientState and stores the good ones as ingest jobs
 * (through `committer`, shared with concurrent requests) before Graph gets its 202. Unknown
 * subscriptions and wrong secrets are dropped with a log line: answering them with an error would only make Graph
 * retry them.
 */
export async function acceptNotifications(
  deps: IntakeDeps & { committer: IntakeCommitter; lookup: LookupSubscription },
  body: unknown,
  _log: Logger,
) {
  const { accepted, rejected, overLimit } = await sortNotifications(body, deps.lookup);
  if (accepted.length > 0) {
    await deps.committer.commit(accepted);
  }
  // No line per dropped item: a flood of forged ones would cost a line each. The route logs one for the request.
  return { accepted: accepted.length, rejected: rejected.length + overLimit, ...drops(rejected, overLimit) };
}

const drops = (rejected: Parameters<typeof summarizeDrops>[0], overLimit: number) =>
  rejected.length + overLimit > 0 ? { drops: summarizeDrops(rejected, overLimit) } : {};

/** Lifecycle events: checked the same way, then handed to the subscription keeper. */
export async function acceptLifecycle(deps: IntakeDeps, body: unknown, log: Logger) {
  const { accepted, rejected, overLimit } = await sortLifecycleNotifications(body, lookup(deps.mailboxes));
  for (const e of accepted) {
    log.info({ subscriptionId: e.subscriptionId, event: e.lifecycleEvent }, 'lifecycle event');
    if (deps.onLifecycle) await deps.onLifecycle(e);
  }
  return { accepted: accepted.length, rejected: rejected.length + overLimit, ...drops(rejected, overLimit) };
}
