import type { Logger } from 'pino';
import { JobKind } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Db } from '../store/db.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import { enqueueCatchup, enqueueVerify, scheduleRenewal } from './subscription-keeper.js';

export interface UpkeepDeps {
  db: Db;
  queue: JobQueue;
  mailboxes: MailboxRepo;
  clock: () => Date;
  log: Logger;
  catchupIntervalMinutes: number;
  /** How often due work is looked for (default: a minute, or the interval if shorter). */
  tickMs?: number;
}

/**
 * At startup: every watched mailbox catches up on what arrived while no replica was running, and each of its
 * subscriptions is checked at Graph (one lost meanwhile is created again, then caught up).
 */
export async function enqueueStartupCatchups(deps: UpkeepDeps): Promise<number> {
  let n = 0;
  for (const mb of await deps.mailboxes.listActive()) {
    if (await enqueueCatchup(deps.queue, mb.tenantId, mb.id, 'startup')) n++;
    for (const sub of await deps.mailboxes.subscriptionsFor(mb.tenantId, mb.id)) await enqueueVerify(deps.queue, sub);
  }
  return n;
}

/**
 * One pass of the scheduler. Every replica runs it; the jobs table keeps the work single: a catch-up is queued
 * only when none is queued or running for the mailbox (and its dedupe key settles a race between two replicas),
 * each live subscription keeps one renewal row, and each is checked at Graph (one verify job waits at a time).
 */
export async function upkeepTick(deps: UpkeepDeps): Promise<{ catchups: number }> {
  const now = deps.clock();
  const dueBefore = new Date(now.getTime() - deps.catchupIntervalMinutes * 60_000).toISOString();
  const k = deps.db.kysely;
  const mailboxes = await k
    .selectFrom('mailboxes')
    .select(['id', 'tenant_id', 'last_catchup_at'])
    .where('active', '=', 1)
    .execute();
  let catchups = 0;
  for (const mb of mailboxes) {
    for (const sub of await deps.mailboxes.subscriptionsFor(mb.tenant_id, mb.id)) {
      await scheduleRenewal(deps.queue, deps.clock, sub);
      await enqueueVerify(deps.queue, sub);
    }
    if (mb.last_catchup_at !== null && mb.last_catchup_at > dueBefore) continue;
    const busy = await k
      .selectFrom('jobs')
      .select('id')
      .where('tenant_id', '=', mb.tenant_id)
      .where('kind', '=', JobKind.catchup)
      .where('status', 'in', ['queued', 'running'])
      .where('payload', 'like', `%"mailboxId":"${mb.id}"%`)
      .limit(1)
      .executeTakeFirst();
    if (busy) continue;
    if (await enqueueCatchup(deps.queue, mb.tenant_id, mb.id, 'schedule')) catchups++;
  }
  return { catchups };
}

/** Runs upkeepTick on a timer until stopped. A failed pass is logged and the next one tries again. */
export function startUpkeep(deps: UpkeepDeps): { stop(): void } {
  const every = deps.tickMs ?? Math.min(60_000, deps.catchupIntervalMinutes * 60_000);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    upkeepTick(deps)
      .then((r) => {
        if (r.catchups > 0) deps.log.debug(r, 'periodic catch-ups queued');
      })
      .catch((err: unknown) => deps.log.error({ err }, 'upkeep pass failed; the next one tries again'))
      .finally(() => {
        running = false;
      });
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
