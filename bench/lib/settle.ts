import type { Db } from '../../bot/src/store/db.js';
import { sleep } from './stats.js';

/** Waits until no job is running or due; returns false if that takes longer than `timeoutMs`. */
export async function settle(db: Db, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = new Date().toISOString();
    const row = await db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)])]),
      )
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return true;
    if (Date.now() > until) return false;
    await sleep(100);
  }
}
