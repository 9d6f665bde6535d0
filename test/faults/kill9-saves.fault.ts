import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMailroom, type Mailroom } from '../../bot/src/compose.js';
import { type Config, loadConfig } from '../../bot/src/config.js';
import { requestSaves } from '../../bot/src/core/save.js';
import { createLogger } from '../../bot/src/log.js';
import { type Sandbox, startSandbox } from '../../bot/src/sandbox/start-sandbox.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fake-connector.js';
import { type ChildServer, startChildServer, watchVia } from './child-server.js';
import { SUPPORT, waitFor } from './support.js';

const RECORDS = [
  { type: 'contact' as const, id: '201', name: 'Ana Ruiz' },
  { type: 'customer' as const, id: '101', name: 'Fabrikam, Inc.' },
];
const EMAILS = 18;
const ROUNDS = 3;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('fault: kill -9 during a burst of saves, then restart (repeated)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-kill9-'));
  const log = createLogger('silent');
  let sandbox: Sandbox;
  let connector: FakeConnector;
  let config: Config;
  let child: ChildServer;
  let local: Mailroom;
  let testDb: TestDb | null = null;

  beforeAll(async () => {
    const port = await freePort();
    // PostgreSQL when there is one (two processes share it as replicas do); else a SQLite file.
    testDb = process.env.TEST_DATABASE_URL ? await createTestDb('postgres') : null;
    const url = testDb?.url ?? `sqlite:${join(dir, 'mailroom.db')}`;
    const base = loadConfig({ PORT: String(port), DATABASE_URL: url, LOG_LEVEL: 'silent' });
    sandbox = await startSandbox(base, log, { graph: 0, netsuite: 0 });
    config = sandbox.config;
    connector = await startFakeConnector();
    child = await startChildServer(config);
    // This process only writes save requests into the shared database, as a card click on any replica would.
    local = await composeMailroom(config, log);
    expect(await watchVia(child.url, connector.url, SUPPORT)).toBe(200);
    for (let i = 0; i < EMAILS; i++) {
      sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: `Kill9-${i}` });
    }
    await waitFor(
      async () => (await local.db.kysely.selectFrom('cards').select('email_id').execute()).length === EMAILS,
      40_000,
      'every card',
    );
  }, 90_000);

  afterAll(async () => {
    await child?.stop();
    await local?.db.close();
    await connector?.close();
    await sandbox?.close();
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no save and duplicates none across three crashes', async () => {
    sandbox.netsuite.setLatency(80);
    const emails = await local.db.kysely.selectFrom('emails').select(['id', 'tenant_id']).orderBy('id').execute();
    const actor = { id: 'u1', name: 'Adele Vance' };
    const per = Math.ceil(emails.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const batch = emails.slice(round * per, (round + 1) * per);
      for (const e of batch) {
        await requestSaves(
          local.saveDeps,
          { tenantId: e.tenant_id, emailId: e.id, records: RECORDS, actor, mode: 'one-time' },
          log,
        );
      }
      // Let the burst get under way, then pull the plug mid-flight.
      await waitFor(() => sandbox.netsuite.state.counters.inFlight > 0, 10_000, 'a save in flight');
      await child.kill9();
      child = await startChildServer(config);
    }
    const total = emails.length * RECORDS.length;
    await waitFor(
      async () => {
        const rows = await local.db.kysely.selectFrom('associations').select('status').execute();
        return rows.length === total && rows.every((r) => r.status === 'saved');
      },
      60_000,
      'every save to complete after the crashes',
    );
    const messages = sandbox.netsuite.state.messages();
    expect(messages).toHaveLength(total);
    expect(new Set(messages.map((m) => m.fields.externalId)).size).toBe(total);
    // The restarts' catch-ups found the same mail again, and made no second card.
    const posts = connector.posts.filter((p) => p.op !== 'update' && JSON.stringify(p.activity).includes('Kill9-'));
    expect(posts).toHaveLength(EMAILS);
  }, 150_000);
});
