import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { StatementCache } from '../../../bot/src/store/statement-cache.js';

describe('StatementCache', () => {
  it('compiles a query shape once and runs it with each call’s values', async () => {
    const raw = new SQLite(':memory:');
    let compiled = 0;
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((source: string) => {
      compiled++;
      return prepare(source);
    }) as typeof raw.prepare;
    const db = new Kysely<{ t: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: new StatementCache(raw) }),
    });
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (let i = 1; i <= 20; i++)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    const names = [];
    for (const id of [3, 7, 11]) {
      names.push((await db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst())?.name);
    }
    expect(names).toEqual(['n3', 'n7', 'n11']);
    // create, one insert shape, one select shape.
    expect(compiled).toBe(3);
    await db.destroy();
  });

  it('drops the least recently used statement past its size, and compiles it again when asked', () => {
    const raw = new SQLite(':memory:');
    const cache = new StatementCache(raw, 2);
    const a = cache.prepare('select 1');
    const b = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(a);
    cache.prepare('select 3');
    expect(cache.prepare('select 1')).toBe(a);
    expect(cache.prepare('select 2')).not.toBe(b);
    expect(cache.prepare('select 2').all([])).toEqual([{ 2: 2 }]);
    cache.close();
    expect(raw.open).toBe(false);
  });
});
