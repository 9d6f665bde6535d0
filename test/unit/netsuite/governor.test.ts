import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbGovernor } from '../../../bot/src/netsuite/governor.js';
import { openDatabase } from '../../../bot/src/store/db.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testEngines())('DbGovernor on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it('never lets more than the limit be in flight, however many ask at once', async () => {
    // On PostgreSQL the second governor has its own connection pool, as a second replica would.
    const other = engine === 'postgres' ? openDatabase(db.url) : db;
    const a = new DbGovernor(db, { key: 'netsuite:123456', limit: 3, pollMs: 5 });
    const b = new DbGovernor(other, { key: 'netsuite:123456', limit: 3, pollMs: 5 });
    let inFlight = 0;
    let max = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const release = await (i % 2 === 0 ? a : b).acquire();
        inFlight++;
        max = Math.max(max, inFlight);
        await sleep(40);
        inFlight--;
        await release();
        done++;
      }),
    );
    if (other !== db) await other.close();
    expect(done).toBe(16);
    expect(max).toBeLessThanOrEqual(3);
    // …and it does use the budget rather than running one at a time.
    expect(max).toBeGreaterThanOrEqual(2);
    expect(await a.inFlight()).toBe(0);
  });

  it('gives a crashed holder’s permit back once its lease runs out', async () => {
    let now = new Date('2026-11-22T10:00:00Z');
    const g = new DbGovernor(db, {
      key: 'netsuite:1',
      limit: 1,
      leaseMs: 1000,
      pollMs: 5,
      maxWaitMs: 200,
      clock: () => now,
    });
    await g.acquire(); // never released: its process "died"
    await expect(g.acquire()).rejects.toThrow(/no NetSuite concurrency permit/);
    now = new Date(now.getTime() + 1500);
    const release = await g.acquire();
    expect(await g.inFlight()).toBe(1);
    await release();
    expect(await g.inFlight()).toBe(0);
  });

  it('renews a live holder’s lease however long its call runs', async () => {
    const g = new DbGovernor(db, { key: 'netsuite:long', limit: 1, leaseMs: 300, pollMs: 10, maxWaitMs: 900 });
    const release = await g.acquire();
    // Three leases' worth of waiting: a permit that was not renewed would have come back twice over.
    await expect(g.acquire()).rejects.toThrow(/no NetSuite concurrency permit/);
    await release();
    const next = await g.acquire();
    await next();
    expect(await g.inFlight()).toBe(0);
  });

  it('hands a permit given back in this process to a waiter at once, not at its next poll', async () => {
    const g = new DbGovernor(db, { key: 'netsuite:handover', limit: 1, pollMs: 60_000, maxWaitMs: 120_000 });
    const release = await g.acquire();
    const waiting = g.acquire();
    await sleep(50);
    const t = Date.now();
    await release();
    const next = await waiting;
    expect(Date.now() - t).toBeLessThan(2_000);
    await next();
  });

  it('lets one waiter of this process ask the database while the others queue, served in the order they came', async () => {
    // Counts the permit attempts (INSERTs into rate_slots) that reach the database.
    let attempts = 0;
    const counted = {
      ...db,
      kysely: db.kysely.withPlugin({
        transformQuery: (args) => {
          const node = args.node as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
          if (node.kind === 'InsertQueryNode' && node.into?.table?.identifier?.name === 'rate_slots') attempts++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      }),
    };
    // A poll so slow that only a release here moves anyone on.
    const g = new DbGovernor(counted, { key: 'netsuite:queue', limit: 1, pollMs: 60_000, maxWaitMs: 120_000 });
    const first = await g.acquire();
    expect(attempts).toBe(1);
    const order: number[] = [];
    const waiters = Array.from({ length: 8 }, (_, i) =>
      g.acquire().then(async (release) => {
        order.push(i);
        await release();
      }),
    );
    await sleep(100);
    // One try for the first in line; the other seven wait without asking.
    expect(attempts).toBe(2);
    await first();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await g.inFlight()).toBe(0);
  });

  it('keeps separate budgets for separate accounts', async () => {
    const x = new DbGovernor(db, { key: 'netsuite:a', limit: 1, maxWaitMs: 100 });
    const y = new DbGovernor(db, { key: 'netsuite:b', limit: 1, maxWaitMs: 100 });
    await x.acquire();
    await expect(y.acquire()).resolves.toBeTypeOf('function');
  });
});
