import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 as Kysely's SQLite dialect sees it, with each statement compiled once. Kysely prepares every
 * query anew, and compiling a statement costs about as much as running it: in a burst's profile, `prepare`
 * was a third of Mailroom's SQLite time. Statements are kept by their SQL text (Kysely puts every value in a
 * parameter, so one query shape is one text), the least recently used dropped past `max`.
 * https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#preparestring---statement
 */
export class StatementCache implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: SQLite.Database,
    private readonly max = 1_000,
  ) {}

  prepare(sql: string): SqliteStatement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      // Map keeps insertion order: re-inserting marks it as the most recently used.
      this.statements.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= this.max) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
