import { type Kysely, sql } from 'kysely';
import type { Engine } from '../db.js';

/**
 * PostgreSQL: the Dashboard's search of words under three characters, which the trigram index (003) cannot serve
 * ('%ab%' has no trigram), so a word like "zq" that matches nothing read every save. This indexes each save's
 * characters and pairs of characters, so such a word is one look-up. Built-in array GIN: no extension needed.
 *
 * Pairs that hold whitespace are left out: a search word never has any (the words are split on it). The
 * function is immutable (it reads only its argument), as an index expression must be. It is parallel restricted
 * so that a page of a common word is read by one process in index order, as before: with parallel workers
 * allowed, the planner chose to start two for it, which took longer than the page. SQLite needs nothing here:
 * its short-word search reads the FTS table's copy (see tab-api/search-terms.ts).
 */
/** The pairs of characters of `x` that start at even offsets, whitespace turned to newlines to split on. */
const pairs = (x: string) =>
  `string_to_array(regexp_replace(translate(${x}, E' \\t\\r\\f\\v', E'\\n\\n\\n\\n\\n'), '(..)', E'\\\\1\\n', 'g'), E'\\n')`;

export async function shortWordSearch(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  // Every character, then the pairs at even and at odd offsets: a pair is cut off after each two characters and
  // the text split there. Whitespace is first made a newline, the separator, so a pair that holds any is split
  // apart; stray pieces are real characters of the text, which only widen the look-up. Each step is one C-level
  // call, several times faster than a generate_series over the positions.
  await sql
    .raw(
      `create function mailroom_search_grams(t text) returns text[] language sql immutable strict parallel restricted as $fn$
         select string_to_array(t, null) || ${pairs('t')} || ${pairs('substr(t, 2)')}
       $fn$`,
    )
    .execute(db);
  await sql`create index associations_grams_ix on associations using gin (mailroom_search_grams(search_text))`.execute(
    db,
  );
}
