import { type Kysely, sql } from 'kysely';

/** The schema-qualified trigram operator class, or null when pg_trgm is not installed. */
export async function trigramOps(db: Kysely<unknown>): Promise<string | null> {
  const r = await sql<{
    nspname: string;
  }>`select n.nspname from pg_extension x join pg_namespace n on n.oid = x.extnamespace
      where x.extname = 'pg_trgm'`.execute(db);
  const schema = r.rows[0]?.nspname;
  return schema ? `"${schema.replaceAll('"', '""')}".gin_trgm_ops` : null;
}
