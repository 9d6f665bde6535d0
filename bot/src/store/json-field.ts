import { type RawBuilder, sql } from 'kysely';
import type { Engine } from './db.js';

/**
 * One string field of a JSON text column (a job's payload), or null when the field is absent: `->>` on PostgreSQL,
 * `json_extract` on SQLite. The column is `table.column` or `column`; the key is written into the statement as a
 * literal, so it must be a plain identifier (the names Mailroom's payload schemas use).
 */
export function jsonField(engine: Engine, column: string, key: string): RawBuilder<string | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`jsonField: "${key}" is not a plain field name`);
  return engine === 'postgres'
    ? sql<string | null>`(${sql.ref(column)}::json ->> ${sql.lit(key)})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
}
