import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../bot/src/config.js';
import { pruneExpired, startRetention } from '../../../bot/src/store/retention.js';
import type { JobTable } from '../../../bot/src/store/schema.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function job(status: string, updatedAgoMs: number, over: Partial<JobTable> = {}): JobTable {
  const at = ago(updatedAgoMs);
  return {
    id: randomUUID(),
    tenant_id: 't1',
    kind: 'card.post',
    payload: '{}',
    dedupe_key: null,
    status,
    attempts: 1,
    run_at: at,
    lease_until: null,
    locked_by: null,
    last_error: null,
    last_error_code: null,
    waiting_since: null,
    created_at: at,
    updated_at: at,
    ...over,
  };
}

async function ids(db: TestDb, table: 'jobs' | 'rate_slots'): Promise<string[]> {
  const rows = await db.kysely.selectFrom(table).select('id').execute();
  return rows.map((r) => r.id).sort();
}

describe.each(testEngines())('retention on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it('deletes finished jobs after a day, and never a queued, running or failed one', async () => {
    const keep = [
      job('done', 23 * HOUR),
      job('queued', 30 * DAY),
      job('running', 30 * DAY, { lease_until: ago(-60_000), locked_by: 'w' }),
      job('failed', 30 * DAY, { last_error_code: 'netsuite_down' }),
    ];
    const old = [job('done', 25 * HOUR), job('done', 40 * DAY)];
    await db.kysely
      .insertInto('jobs')
      .values([...keep, ...old])
      .execute();
    const c = await pruneExpired(db, NOW, { auditDays: 400 });
    expect(c.jobs).toBe(2);
    expect(await ids(db, 'jobs')).toEqual(keep.map((j) => j.id).sort());
  });

  it('deletes pacing rows no window counts any more, but not a NetSuite permit still held', async () => {
    const slot = (atAgo: number, leaseUntil: string | null) => ({
      id: randomUUID(),
      tenant_id: 't1',
      key: 'teams:19:abc',
      at: ago(atAgo),
      lease_until: leaseUntil,
    });
    const recent = slot(HOUR, null);
    const held = slot(5 * HOUR, ago(-60_000));
    const spent = [slot(3 * HOUR, null), slot(5 * HOUR, ago(4 * HOUR))];
    await db.kysely
      .insertInto('rate_slots')
      .values([recent, held, ...spent])
      .execute();
    const c = await pruneExpired(db, NOW, { auditDays: 400 });
    expect(c.rateSlots).toBe(2);
    expect(await ids(db, 'rate_slots')).toEqual([recent.id, held.id].sort());
  });

  it('keeps the audit trail for the configured number of days', async () => {
    const row = (atAgo: number, subject: string) => ({
      tenant_id: 't1',
      at: ago(atAgo),
      actor_id: 'u1',
      actor_name: 'Ana',
      action: 'save',
      subject,
      detail: null,
    });
    await db.kysely
      .insertInto('audit_log')
      .values([row(399 * DAY, 'kept'), row(401 * DAY, 'old'), row(30 * DAY, 'recent')])
      .execute();
    expect((await pruneExpired(db, NOW, { auditDays: 400 })).audit).toBe(1);
    const left = await db.kysely.selectFrom('audit_log').select('subject').orderBy('subject').execute();
    expect(left.map((r) => r.subject)).toEqual(['kept', 'recent']);
    expect((await pruneExpired(db, NOW, { auditDays: 100 })).audit).toBe(1);
  });

  it('deletes in batches of the given size until none is left', async () => {
    await db.kysely
      .insertInto('jobs')
      .values(Array.from({ length: 23 }, () => job('done', 2 * DAY)))
      .execute();
    const c = await pruneExpired(db, NOW, { auditDays: 400, batchSize: 5 });
    expect(c.jobs).toBe(23);
    // 4 full batches and a short one for jobs, then one (empty) each for pacing rows and the audit trail.
    expect(c.batches).toBe(4 + 1 + 2);
    expect(await ids(db, 'jobs')).toEqual([]);
  });

  it('runs on its schedule and logs what a pass pruned', async () => {
    await db.kysely
      .insertInto('jobs')
      .values([job('done', 2 * DAY)])
      .execute();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const r = startRetention({ db, clock: () => NOW, log, policy: { auditDays: 400 }, everyMs: 1000 });
      vi.advanceTimersByTime(1000);
      r.stop();
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(() => expect(lines.join('')).toMatch(/retention pass pruned old rows/));
    expect(await ids(db, 'jobs')).toEqual([]);
  });
});

describe('AUDIT_RETENTION_DAYS', () => {
  it('defaults to 400 days and refuses a value that is not a whole number of days', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(400);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '30' }).auditRetentionDays).toBe(30);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: 'a year' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
