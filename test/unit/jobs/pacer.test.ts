import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pacer } from '../../../bot/src/jobs/pacer.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

describe.each(testEngines())('Pacer on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it('never lets more sends than a window allows through, across two pacers sharing the database', async () => {
    const windows = [{ ms: 300, max: 3 }];
    const a = new Pacer(db, windows);
    const b = new Pacer(db, windows);
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await (i % 2 === 0 ? a : b).take('t1', 'teams:thread-1');
        sent.push(Date.now());
      }),
    );
    sent.sort((x, y) => x - y);
    for (let i = 0; i + 3 < sent.length; i++) {
      // Any four consecutive sends span more than the window.
      expect((sent[i + 3] ?? 0) - (sent[i] ?? 0)).toBeGreaterThanOrEqual(300);
    }
    // Other keys are not held back.
    const t0 = Date.now();
    await a.take('t1', 'teams:thread-2');
    expect(Date.now() - t0).toBeLessThan(250);
  });
});
