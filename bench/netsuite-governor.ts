import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../bot/src/config.js';
import { createLogger } from '../bot/src/log.js';
import { createRecordService } from '../bot/src/netsuite/index.js';
import { openDatabase } from '../bot/src/store/db.js';
import { migrate } from '../bot/src/store/migrate.js';
import { createTestDb } from '../test/helpers/db.js';
import { type RemoteStats, startRemoteNetSuite } from './lib/netsuite-remote.js';
import type { Bench, BenchResult, Row } from './lib/result.js';
import { verdict } from './lib/result.js';
import { pct, perSec } from './lib/stats.js';

const LATENCY_MS = 200;
const LIMIT = 5;
/** Save jobs wanting NetSuite at once: more than the limit, so the governor, not the callers, sets the pace. */
const CALLERS = 20;

async function openDb(postgresUrl: string | undefined) {
  if (postgresUrl) {
    process.env.TEST_DATABASE_URL = postgresUrl;
    const db = await createTestDb('postgres');
    return { db, done: () => db.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-ns-'));
  const db = openDatabase(`sqlite:${join(dir, 'governor.db')}`);
  await migrate(db);
  const done = async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { db, done };
}

/**
 * Issue 3: saves per second through the database-backed concurrency governor, against the NetSuite emulator
 * with a fixed latency and concurrency limit (over the limit it answers 429). Each save is one call to the
 * Mailroom SuiteApp RESTlet (it looks the externalId up and creates inside NetSuite), so a full budget allows
 * limit ÷ latency saves per second.
 */
export const netsuiteGovernor: Bench = {
  name: 'netsuite',
  async run(ctx): Promise<BenchResult> {
    const seconds = ctx.quick ? 3 : 10;
    const rows: Row[] = [];
    const notes: string[] = [];
    let short = false;
    const engines: Array<{ label: string; url?: string }> = [{ label: 'SQLite' }];
    if (ctx.postgresUrl) engines.push({ label: 'PostgreSQL', url: ctx.postgresUrl });
    else notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL.');
    for (const engine of engines) {
      const log = createLogger('silent');
      const emu = await startRemoteNetSuite(LIMIT);
      const { db, done } = await openDb(engine.url);
      try {
        const base = loadConfig({ LOG_LEVEL: 'silent' }).netsuite;
        const cfg = {
          ...base,
          accountId: emu.accountId,
          baseUrl: emu.url,
          concurrency: LIMIT,
          restlet: { ...base.restlet, baseUrl: emu.url },
          auth: { kind: 'm2m' as const, ...emu.m2m, privateKey: emu.m2m.privateKeyPem, privateKeyFile: '' },
        };
        const records = createRecordService(cfg, { db, log });
        // The first call fetches the M2M token; keep it out of the timed window.
        await records.search('Fabrikam', { limit: 1 });
        await emu.setLatency(LATENCY_MS);
        await emu.startSampling();
        let saves = 0;
        let failures = 0;
        const until = Date.now() + seconds * 1000;
        const started = Date.now();
        // Throughput and budget are taken over the steady window only; the callers' tail afterwards is left out.
        const window = new Promise<{ stats: RemoteStats; saves: number }>((resolve) =>
          setTimeout(() => void emu.stopSampling().then((stats) => resolve({ stats, saves })), seconds * 1000),
        );
        ctx.log(`  netsuite ${engine.label}: ${CALLERS} callers for ${seconds} s, ${LATENCY_MS} ms, limit ${LIMIT}`);
        await Promise.all(
          Array.from({ length: CALLERS }, async () => {
            while (Date.now() < until) {
              try {
                await records.saveEmail({
                  tenantId: 'bench-tenant',
                  externalId: `bench-${randomUUID()}`,
                  record: { type: 'customer', id: '101', name: 'Fabrikam, Inc.' },
                  subject: 'Benchmark save',
                  bodyHtml: '<p>Hello</p>',
                  author: { name: 'Ana Ruiz', address: 'ana@fabrikam.com' },
                  to: [{ name: 'Support', address: 'support@contoso.com' }],
                  cc: [],
                  bcc: [],
                  messageDate: new Date().toISOString(),
                  incoming: true,
                  attachments: [],
                });
                saves++;
              } catch {
                failures++;
              }
            }
          }),
        );
        const tail = (Date.now() - started) / 1000 - seconds;
        const { stats, saves: inWindow } = await window;
        const elapsed = seconds;
        const used = stats.meanInFlight / LIMIT;
        const r429 = stats.rejected429;
        const r401 = stats.rejected401;
        const ceiling = LIMIT / (LATENCY_MS / 1000);
        rows.push({
          metric: `${engine.label}: saves per second`,
          value: `${perSec(inWindow / elapsed)} (${saves} saves in all, ${failures} failed)`,
          compare:
            `${failures === 0 ? '✅ none failed' : '❌ every save must succeed'}; ` +
            `ceiling ${perSec(ceiling)} = ${LIMIT} ÷ (1 RESTlet call × ${LATENCY_MS} ms)`,
        });
        if (failures > 0) short = true;
        if (used < 0.9) short = true;
        rows.push({
          metric: `${engine.label}: budget used (mean in flight ÷ limit); max in flight`,
          value: `${pct(used)}; ${stats.maxInFlight} of ${LIMIT}`,
          compare: verdict(used >= 0.9, 'target ≥ 90 %'),
        });
        rows.push({
          metric: `${engine.label}: 429s (and concurrency 401s) Mailroom caused`,
          value: `${r429} (${r401})`,
          compare: verdict(r429 + r401 === 0, 'target 0'),
        });
        notes.push(
          `${engine.label}: ${stats.requests} REST calls in the ${elapsed} s window; the last caller finished ${tail.toFixed(1)} s after it.`,
        );
      } finally {
        await done();
        await emu.close();
      }
    }
    if (short) {
      notes.push(
        'Below 90 %, the gap is the hand-over: a released permit wakes one waiter of this process at once, but that ' +
          'caller still runs a count-and-insert transaction against 200 ms calls, and waiters in other replicas only ' +
          'see it at their next poll (every 7.5–30 ms, jittered); LISTEN/NOTIFY on PostgreSQL would wake those too.',
      );
    }
    return {
      name: 'netsuite',
      title: 'NetSuite saves per second through the concurrency governor (issue 3)',
      method:
        `${CALLERS} concurrent callers run records.saveEmail (distinct externalIds: one RESTlet call that looks up, then the ` +
        `create) for ${seconds} s against the NetSuite emulator at ${LATENCY_MS} ms per call and a limit of ${LIMIT} ` +
        `in flight (over it, 429), the emulator in its own thread. The governor keeps its permits in the database (rate_slots), as across replicas. ` +
        `Budget used = the emulator's in-flight count, sampled every 5 ms, averaged, ÷ ${LIMIT}.`,
      rows,
      notes,
    };
  },
};
