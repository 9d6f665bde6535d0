import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Engine } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { likePattern } from './cursor.js';

export type From = Omit<Database, 'associations' | 'emails'> & {
  a: Database['associations'];
  e: Database['emails'];
  t: Database['teams_messages'];
};

/**
 * `q` as words: each must appear, anywhere in the subject, the sender's name or address, or the record name
 * ("ana fabrikam" finds Ana's mail saved to Fabrikam). At most eight words count.
 */
export function searchTerms(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .slice(0, 8);
}

/** The shortest word the trigram indexes can serve; shorter words are "short". */
const TRIGRAM = 3;

export const isShort = (term: string) => [...term].length < TRIGRAM;

const like = (eb: ExpressionBuilder<From, 'a' | 'e' | 't'>, column: Expression<unknown>, term: string) =>
  eb(column, 'like', sql<string>`${likePattern(term)} escape '\\'`);

/**
 * The search condition on `a` (associations) and `e` (its email) or `t` (its Teams message).
 *
 * PostgreSQL: `search_text LIKE '%word%'` per word of three characters or more, served by the trigram GIN index
 * (003). A shorter word is looked up in the index of each save's characters and pairs of characters (009): a word
 * has no whitespace, so it is among its save's pairs (or characters) exactly when the search text holds it.
 *
 * SQLite: one FTS5 MATCH of quoted words (substrings, in any order) over the trigram table; words under three
 * characters, which a trigram index cannot see, are matched by LIKE on the columns (and, when every word is
 * short, looked for in the search copy first: `shortWordsCopy`).
 */
export function matchesAll(engine: Engine, terms: string[]) {
  return (eb: ExpressionBuilder<From, 'a' | 'e' | 't'>) => {
    if (engine === 'postgres') {
      return eb.and(
        terms.flatMap((t) =>
          isShort(t)
            ? [
                eb(sql`mailroom_search_grams(a.search_text)`, '@>', sql`array[${t}]::text[]`),
                // The LIKE it implies, cheap, which runs first where the planner reads the newest saves in order (a
                // common word). Under "C" (LIKE matches the same characters under any deterministic collation) so
                // that the trigram index, made under the default one, is not offered a pattern it has no trigram of.
                like(eb, sql`(a.search_text collate "C")`, t),
              ]
            : [like(eb, sql`a.search_text`, t)],
        ),
      );
    }
    const long = terms.filter((t) => !isShort(t));
    const conditions: Expression<SqlBool>[] = terms
      .filter(isShort)
      .map((t) =>
        eb.or(
          [
            sql`coalesce(e.subject, t.subject)`,
            sql`coalesce(e.from_name, t.author_name)`,
            sql`coalesce(e.from_address, t.author_address)`,
            sql`a.record_name`,
          ].map((c) => like(eb, c, t)),
        ),
      );
    if (long.length > 0) {
      const match = long.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
      conditions.unshift(
        eb(
          'a.id',
          'in',
          sql<string>`(select association_id from associations_fts where associations_fts match ${match})`,
        ),
      );
    }
    return eb.and(conditions);
  };
}

/**
 * SQLite: the ids of up to `max` saves whose search copy (the FTS table's text, 003 and 008) holds every word.
 * With no MATCH, FTS5 reads its rows one by one; a row is one short string, not a save joined to its email,
 * mailbox and Teams message, so reading them all is several times faster than testing each save's columns.
 * The copy is those columns joined by newlines, LIKE folds ASCII case only on both, and a word has no whitespace
 * to span two fields: a save whose columns match has a matching copy.
 */
export async function shortWordsCopy(db: Kysely<Database>, terms: string[], max: number): Promise<string[]> {
  const likes = sql.join(
    terms.map((t) => sql`search_text like ${likePattern(t)} escape '\\'`),
    sql` and `,
  );
  const r = await sql<{
    id: string;
  }>`select association_id as id from associations_fts where ${likes} limit ${max}`.execute(db);
  return r.rows.map((row) => row.id);
}
