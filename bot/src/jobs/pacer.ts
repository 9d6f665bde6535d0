import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';

export interface Window {
  ms: number;
  max: number;
}

/** Teams' published per-thread limits for a bot: 7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour. */
export const TEAMS_THREAD_WINDOWS: Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

/** The least extra time counted on each window's edge (clock skew between Mailroom and Teams). */
const EDGE_MARGIN_MS = 150;

/**
 * How long a send may be in flight before its slot is counted at this lease's end instead (its process died
 * mid-call): longer than the connector call's own retries and timeout.
 */
const IN_FLIGHT_LEASE_MS = 120_000;

/** How soon to look again when the send that fills a window is still in flight (its end is not known yet). */
const IN_FLIGHT_POLL_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sliding-window pacing shared through the database, so every replica counts the same sends.
 *
 * Teams counts a send when it arrives, which is somewhere between the moment its slot was granted and the moment
 * its answer came back: a send delayed after its grant (a token fetch, a busy event loop, a slow socket) lands
 * later than granted, closer to the sends granted after it. So a slot is counted by when its send finished, and
 * while it is in flight it counts in every window. A new send arrives no earlier than its own grant, so any send
 * that finished a window's length before that grant is outside the window as Teams sees it.
 */
export class Pacer {
  constructor(
    private readonly db: Db,
    private readonly windows: Window[] = TEAMS_THREAD_WINDOWS,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Waits until a send to `key` is allowed under every window, runs it, and records when it finished. */
  async pace<T>(tenantId: string, key: string, send: () => Promise<T>): Promise<T> {
    const slot = await this.take(tenantId, key);
    try {
      return await send();
    } finally {
      // If this fails, the slot keeps counting as in flight until its lease ends: slower, never over a limit.
      await this.landed(slot).catch(() => undefined);
    }
  }

  private async take(tenantId: string, key: string): Promise<string> {
    for (;;) {
      const slot = await this.tryTake(tenantId, key);
      if (typeof slot === 'string') return slot;
      await sleep(slot + Math.floor(Math.random() * 25));
    }
  }

  /** The send is over: its slot now counts from this moment. */
  private async landed(slot: string): Promise<void> {
    await this.db.kysely
      .updateTable('rate_slots')
      .set({ at: this.clock().toISOString(), lease_until: null })
      .where('id', '=', slot)
      .execute();
  }

  /** Records an in-flight send and returns its slot's id, or returns how long to wait before asking again. */
  private async tryTake(tenantId: string, key: string): Promise<string | number> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (this.db.engine === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`pace:${key}`}))`.execute(trx);
      }
      const now = this.clock().getTime();
      const longest = Math.max(...this.windows.map((w) => w.ms)) * 1.05 + EDGE_MARGIN_MS;
      const rows = await trx
        .selectFrom('rate_slots')
        .select(['at', 'lease_until'])
        .where('key', '=', key)
        .where('at', '>', new Date(now - longest).toISOString())
        .execute();
      // When each send reached Teams at the latest: its end; a send still in flight, now or later (Infinity);
      // one whose process died in flight, its lease's end.
      const times = rows
        .map((r) => {
          if (r.lease_until === null) return Date.parse(r.at);
          const until = Date.parse(r.lease_until);
          return until > now ? Number.POSITIVE_INFINITY : until;
        })
        .sort((x, y) => y - x);
      let wait = 0;
      for (const w of this.windows) {
        const span = w.ms + Math.max(EDGE_MARGIN_MS, w.ms * 0.05);
        const inWindow = times.filter((t) => t > now - span);
        if (inWindow.length >= w.max) {
          // The send that must leave the window first: the max-th newest.
          const oldest = inWindow[w.max - 1] ?? now;
          wait = Math.max(wait, oldest === Number.POSITIVE_INFINITY ? IN_FLIGHT_POLL_MS : oldest + span - now);
        }
      }
      if (wait > 0) return wait;
      const id = randomUUID();
      await trx
        .insertInto('rate_slots')
        .values({
          id,
          tenant_id: tenantId,
          key,
          at: new Date(now).toISOString(),
          lease_until: new Date(now + IN_FLIGHT_LEASE_MS).toISOString(),
        })
        .execute();
      return id;
    });
  }
}
