import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonField } from '../../../bot/src/store/json-field.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

describe.each(testEngines())('jsonField on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it("reads one field of a job's payload, and null where the payload has none", async () => {
    const payloads = { a: { emailId: 'e1' }, b: { mailboxId: 'mb1', emailId: 'e"2' }, c: null, d: [1] };
    for (const [id, payload] of Object.entries(payloads)) {
      const at = '2026-11-22T10:00:00.000Z';
      const row = { id, tenant_id: 't', kind: 'card.post', payload: JSON.stringify(payload), status: 'queued' };
      await db.kysely
        .insertInto('jobs')
        .values({ ...row, dedupe_key: null, attempts: 0, run_at: at, created_at: at, updated_at: at })
        .execute();
    }
    const rows = await db.kysely
      .selectFrom('jobs')
      .select(['id', jsonField(db.engine, 'payload', 'emailId').as('email')])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'a', email: 'e1' },
      { id: 'b', email: 'e"2' },
      { id: 'c', email: null },
      { id: 'd', email: null },
    ]);
  });

  it('takes only a plain field name, since the name is written into the statement', () => {
    expect(() => jsonField(engine, 'payload', "x') or ('1")).toThrow(/not a plain field name/);
  });
});
