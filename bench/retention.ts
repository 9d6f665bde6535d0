import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../bot/src/store/db.js';
import { migrate } from '../bot/src/store/migrate.js';
import { DONE_JOBS_HOURS, PACING_HOURS, pruneExpired } from '../bot/src/store/retention.js';
import type { AuditTable, JobTable, RateSlotTable } from '../bot/src/store/schema.js';
import { createTestDb } from '../test/helpers/db.js';
import type { Bench, BenchContext, BenchResult, Row } from './lib/result.js';
import { verdict } from './lib/result.js';
import { mib, ms } from './lib/stats.js';

const HOUR = 3_600_000;
const EMAILS_PER_DAY = 5_000;
/** Each email leaves its finished jobs (ingest, card.post, mail.category), one pacing row, and now and then an audit row. */
const JOBS_PER_EMAIL = 3;
const AUDIT_EVERY = 10;
/** Shorter than the 400-day default, so that one simulated month shows where the audit trail levels off. */
const AUDIT_DAYS = 7;
const CHUNK = 500;

type Counts = { jobs: number; rateSlots: number; audit: number };

async function count(db: Db): Promise<Counts> {
  const n = async (t: 'jobs' | 'rate_slots' | 'audit_log') =>
    Number(
      (
        await db.kysely
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { jobs: await n('jobs'), rateSlots: await n('rate_slots'), audit: await n('audit_log') };
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** One simulated hour of traffic, its rows stamped within the hour that starts at `start`. */
async function oneHour(db: Db, start: number, seq: { n: number }) {
  const emails = Math.round(EMAILS_PER_DAY / 24);
  const jobs: JobTable[] = [];
  const slots: RateSlotTable[] = [];
  const audit: Omit<AuditTable, 'id'>[] = [];
  for (let i = 0; i < emails; i++) {
    const at = new Date(start + Math.floor((i / emails) * HOUR)).toISOString();
    seq.n++;
    for (const kind of ['mail.ingest', 'card.post', 'mail.category'].slice(0, JOBS_PER_EMAIL)) {
      jobs.push({
        id: randomUUID(),
        tenant_id: 'bench',
        kind,
        payload: `{"emailId":"e${seq.n}"}`,
        dedupe_key: null,
        status: 'done',
        attempts: 1,
        run_at: at,
        lease_until: null,
        locked_by: 'worker-bench',
        last_error: null,
        last_error_code: null,
        created_at: at,
        updated_at: at,
      });
    }
    slots.push({ id: randomUUID(), tenant_id: 'bench', key: `teams:19:thread-${seq.n % 200}`, at, lease_until: null });
    if (seq.n % AUDIT_EVERY === 0) {
      audit.push({
        tenant_id: 'bench',
        at,
        actor_id: 'u1',
        actor_name: 'Ana',
        action: 'save',
        subject: `e${seq.n}`,
        detail: null,
      });
    }
  }
  await insertChunks(jobs, (c) => db.kysely.insertInto('jobs').values(c).execute());
  await insertChunks(slots, (c) => db.kysely.insertInto('rate_slots').values(c).execute());
  await insertChunks(audit, (c) => db.kysely.insertInto('audit_log').values(c).execute());
  return { jobs: jobs.length, rateSlots: slots.length, audit: audit.length };
}

async function tableBytes(db: Db, file: string | null): Promise<string> {
  if (file) {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.kysely);
    return `database file ${mib(statSync(file).size)}`;
  }
  const r = await sql<{ b: number }>`select (pg_total_relation_size('jobs') + pg_total_relation_size('rate_slots')
    + pg_total_relation_size('audit_log'))::bigint as b`.execute(db.kysely);
  return `three tables and their indexes ${mib(Number(r.rows[0]?.b ?? 0))}`;
}

async function simulate(engine: 'SQLite' | 'PostgreSQL', ctx: BenchContext, days: number) {
  let db: Db;
  let file: string | null = null;
  let cleanup: () => Promise<void>;
  if (engine === 'PostgreSQL') {
    process.env.TEST_DATABASE_URL = ctx.postgresUrl ?? '';
    const t = await createTestDb('postgres');
    db = t;
    cleanup = () => t.drop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-retention-'));
    file = join(dir, 'mailroom.db');
    db = openDatabase(`sqlite:${file}`);
    await migrate(db);
    cleanup = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const seq = { n: 0 };
    const inserted: Counts = { jobs: 0, rateSlots: 0, audit: 0 };
    const peak: Counts = { jobs: 0, rateSlots: 0, audit: 0 };
    const daily: Counts[] = [];
    let slowest = 0;
    let passMs = 0;
    const wall = performance.now();
    for (let h = 0; h < days * 24; h++) {
      const added = await oneHour(db, start + h * HOUR, seq);
      inserted.jobs += added.jobs;
      inserted.rateSlots += added.rateSlots;
      inserted.audit += added.audit;
      const before = await count(db);
      for (const k of Object.keys(peak) as (keyof Counts)[]) peak[k] = Math.max(peak[k], before[k]);
      // The pass at the end of the hour, on the simulated clock (Mailroom runs one every 10 minutes).
      const t = performance.now();
      const c = await pruneExpired(db, new Date(start + (h + 1) * HOUR), { auditDays: AUDIT_DAYS });
      passMs = Math.max(passMs, performance.now() - t);
      slowest = Math.max(slowest, c.slowestBatchMs);
      if ((h + 1) % 24 === 0) daily.push(await count(db));
    }
    ctx.log(`  retention ${engine}: ${days} simulated days in ${((performance.now() - wall) / 1000).toFixed(0)} s`);
    return { inserted, peak, daily, final: daily.at(-1) ?? peak, slowest, passMs, size: await tableBytes(db, file) };
  } finally {
    await cleanup();
  }
}

/** Issue 14: done jobs, pacing rows and old audit rows are pruned on a schedule, and the tables stay bounded. */
export const retention: Bench = {
  name: 'retention',
  async run(ctx): Promise<BenchResult> {
    const days = ctx.quick ? 7 : 30;
    const perHour = Math.round(EMAILS_PER_DAY / 24);
    // What an hourly pass can leave at most: the retained window plus the hour since the last pass.
    const bound: Counts = {
      jobs: perHour * JOBS_PER_EMAIL * (DONE_JOBS_HOURS + 1),
      rateSlots: perHour * (PACING_HOURS + 1),
      audit: Math.ceil((perHour * 24 * (AUDIT_DAYS + 1)) / AUDIT_EVERY),
    };
    const engines: ('SQLite' | 'PostgreSQL')[] = ctx.postgresUrl ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
    const rows: Row[] = [];
    const notes: string[] = [];
    if (!ctx.postgresUrl) notes.push('PostgreSQL was not reachable: its figures are missing.');
    for (const engine of engines) {
      const r = await simulate(engine, ctx, days);
      const table = (label: string, k: keyof Counts, keep: string) =>
        rows.push({
          metric: `${engine}: ${label}, rows after ${days} days (peak; inserted in all)`,
          value: `${r.final[k].toLocaleString('en')} (${r.peak[k].toLocaleString('en')}; ${r.inserted[k].toLocaleString('en')})`,
          compare: verdict(r.peak[k] <= bound[k], `≤ ${bound[k].toLocaleString('en')}: ${keep}`),
        });
      table('jobs', 'jobs', `done jobs kept ${DONE_JOBS_HOURS} h`);
      table('pacing rows', 'rateSlots', `kept ${PACING_HOURS} h`);
      table('audit rows', 'audit', `kept ${AUDIT_DAYS} days here`);
      rows.push({
        metric: `${engine}: slowest DELETE batch (slowest whole pass)`,
        value: `${ms(r.slowest)} (${ms(r.passMs)})`,
        compare: verdict(r.slowest < 250, 'a batch holds its locks < 250 ms'),
      });
      rows.push({ metric: `${engine}: size at the end`, value: r.size });
      const week = (d: number) => r.daily[d - 1]?.jobs.toLocaleString('en') ?? '–';
      notes.push(`${engine}: jobs left at the end of day 1, 2, 7, ${days}: ${[1, 2, 7, days].map(week).join(', ')}.`);
    }
    return {
      name: 'retention',
      title: 'Retention: tables stay bounded over a simulated month',
      method:
        `${days} simulated days of ${EMAILS_PER_DAY.toLocaleString('en')} emails a day on a fake clock, in the ` +
        "benchmark's process: each hour adds every email's finished jobs (ingest, card post, category), one pacing " +
        `row and, for one email in ${AUDIT_EVERY}, an audit row; then Mailroom's retention pass ` +
        '(store/retention.ts, `pruneExpired`) runs at the simulated time. Mailroom runs it every 10 minutes; an ' +
        'hourly pass here lets more pile up between passes, so the bound is the harder one. The audit trail is ' +
        `kept ${AUDIT_DAYS} days here (AUDIT_RETENTION_DAYS, 400 by default) so that a month shows it level off.`,
      rows,
      notes: [...notes, 'Failed jobs are kept until a person handles them, so they are not part of this traffic.'],
    };
  },
};
