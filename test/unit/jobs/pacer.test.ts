import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pacer } from '../../../bot/src/jobs/pacer.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
        await (i % 2 === 0 ? a : b).pace('t1', 'teams:thread-1', async () => {
          sent.push(Date.now());
        });
      }),
    );
    sent.sort((x, y) => x - y);
    for (let i = 0; i + 3 < sent.length; i++) {
      // Any four consecutive sends span more than the window.
      expect((sent[i + 3] ?? 0) - (sent[i] ?? 0)).toBeGreaterThanOrEqual(300);
    }
    // Other keys are not held back: a send there goes while thread-5's window is full.
    for (let i = 0; i < 3; i++) await a.pace('t1', 'teams:thread-5', async () => undefined);
    const order: string[] = [];
    await Promise.all([
      a.pace('t1', 'teams:thread-5', async () => void order.push('thread-5')),
      a.pace('t1', 'teams:thread-2', async () => void order.push('thread-2')),
    ]);
    expect(order).toEqual(['thread-2', 'thread-5']);
  });

  it('counts a send from when it finished, so a send that arrived late never shares a window with the next', async () => {
    // A send that lands at Teams late (here it is still running 250 ms after its slot) must not let the next one
    // through on the strength of its grant time: Teams counts them by arrival.
    const windows = [{ ms: 200, max: 1 }];
    const pacer = new Pacer(db, windows);
    let firstEnded = 0;
    let secondStarted = 0;
    const first = pacer.pace('t1', 'teams:thread-3', async () => {
      await sleep(250);
      firstEnded = Date.now();
    });
    await sleep(20);
    await pacer.pace('t1', 'teams:thread-3', async () => {
      secondStarted = Date.now();
    });
    await first;
    expect(secondStarted - firstEnded).toBeGreaterThanOrEqual(200);
  });

  it('frees the window when a send fails, counting it from its failure', async () => {
    const pacer = new Pacer(db, [{ ms: 100, max: 1 }]);
    await expect(
      pacer.pace('t1', 'teams:thread-4', async () => {
        throw new Error('connector said 502');
      }),
    ).rejects.toThrow('502');
    const rows = await db.kysely.selectFrom('rate_slots').selectAll().where('key', '=', 'teams:thread-4').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.lease_until).toBeNull();
    await pacer.pace('t1', 'teams:thread-4', async () => undefined);
    expect(
      await db.kysely.selectFrom('rate_slots').selectAll().where('key', '=', 'teams:thread-4').execute(),
    ).toHaveLength(2);
  });
});
