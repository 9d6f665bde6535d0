import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssociationRepo } from '../../../bot/src/store/repos/associations.js';
import { recentRecords } from '../../../bot/src/teams/message-extension/recent-records.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

describe.each(testEngines())('recent records for initialRun (%s)', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(engine);
    const repo = new AssociationRepo(db);
    const save = (imid: string, id: string, name: string, who: string, at: string) =>
      repo.insertIfNew({
        tenantId: 't1',
        emailId: `em_${imid}`,
        internetMessageId: imid,
        record: { type: 'customer', id, name },
        savedBy: { id: who, name: who },
        mode: 'one-time',
        ruleId: null,
        externalId: `x_${imid}_${id}`,
        now: at,
      });
    await save('<a@x>', '101', 'Fabrikam', 'adele', '2025-01-01T10:00:00Z');
    await save('<b@x>', '102', 'Northwind', 'adele', '2025-01-02T10:00:00Z');
    await save('<c@x>', '101', 'Fabrikam', 'adele', '2025-01-03T10:00:00Z');
    await save('<d@x>', '103', 'Wide World', 'megan', '2025-01-04T10:00:00Z');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("lists the person's records newest first, each once, and nobody else's", async () => {
    const list = await recentRecords(db.kysely, 't1', 'adele', 10);
    expect(list.map((r) => `${r.name}`)).toEqual(['Fabrikam', 'Northwind']);
    expect(await recentRecords(db.kysely, 't2', 'adele', 10)).toEqual([]);
  });
});
