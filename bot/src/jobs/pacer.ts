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

/** The least extra time counted on each window's edge (see tryTake). */
const EDGE_MARGIN_MS = 150;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sliding-window pacing shared through the database, so every replica counts the same sends.
 * `take(key)` waits until a send is allowed under every window, then records it.
 */
export class Pacer {
  constructor(
    private readonly db: Db,
    private readonly windows: Window[] = TEAMS_THREAD_WINDOWS,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async take(tenantId: string, key: string): Promise<void> {
    for (;;) {
      const waitMs = await this.tryTake(tenantId, key);
      if (waitMs === 0) return;
      await sleep(waitMs + Math.floor(Math.random() * 25));
    }
  }

  /** Records a send and returns 0, or returns how long to wait before asking again. */
  private async tryTake(tenantId: string, key: string): Promise<number> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (this.db.engine === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`pace:${key}`}))`.execute(trx);
      }
      const now = this.clock().getTime();
      const longest = Math.max(...this.windows.map((w) => w.ms)) * 1.05 + EDGE_MARGIN_MS;
      const rows = await trx
        .selectFrom('rate_slots')
        .select('at')
        .where('key', '=', key)
        .where('at', '>', new Date(now - longest).toISOString())
        .orderBy('at', 'desc')
        .execute();
      const times = rows.map((r) => Date.parse(r.at));
      let wait = 0;
      for (const w of this.windows) {
        // A slot is granted a few milliseconds before the call reaches Teams, by a varying amount; counting each
        // window a little longer keeps two sends granted just over its edge from landing just inside it.
        const span = w.ms + Math.max(EDGE_MARGIN_MS, w.ms * 0.05);
        const inWindow = times.filter((t) => t > now - span);
        if (inWindow.length >= w.max) {
          // The oldest send that still counts must leave the window first.
          const oldest = inWindow[w.max - 1] ?? now;
          wait = Math.max(wait, oldest + span - now);
        }
      }
      if (wait > 0) return wait;
      await trx
        .insertInto('rate_slots')
        .values({ id: randomUUID(), tenant_id: tenantId, key, at: new Date(now).toISOString(), lease_until: null })
        .execute();
      return 0;
    });
  }
}
