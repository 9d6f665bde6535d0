import { type Kysely, sql } from 'kysely';
import type { Engine } from '../db.js';

/** The histogram's size for `associations.search_text`: PostgreSQL's per-column statistics target. */
export const SEARCH_TEXT_STATISTICS = 1000;

/**
 * PostgreSQL: a larger sample of the search text for the planner. It estimates how many saves `search_text LIKE
 * '%word%'` matches by testing the word against the column's histogram, 100 entries by default, and believes
 * nothing under 0.01 %. A word in 2 % of the saves (a customer's name) is in none of 100 entries about one
 * ANALYZE in seven; the planner then expects 100 rows at 1M, reads all 20,000 through the trigram index and sorts
 * them (150-330 ms), where the newest saves read in order fill a page in under 10 ms. With 1,000 entries a word
 * in 1 % of the saves is missed one ANALYZE in 20,000. ANALYZE samples 300 rows per unit of target, so it reads
 * 300,000 rows instead of 30,000 (13 s instead of 1.4 s at 1M saves, in autovacuum's background). Only a
 * statistics setting changes: nothing is rewritten or locked against reads and writes, and the next ANALYZE (see
 * store/search-index.ts, at start) uses it.
 */
export async function searchTextStatistics(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql
    .raw(`alter table associations alter column search_text set statistics ${SEARCH_TEXT_STATISTICS}`)
    .execute(db);
}
