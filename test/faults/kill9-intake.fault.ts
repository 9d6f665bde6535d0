import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../bot/src/config.js';
import { createLogger } from '../../bot/src/log.js';
import type { DeliveredCopy } from '../../bot/src/sandbox/graph-emulator/index.js';
import { type Sandbox, startSandbox } from '../../bot/src/sandbox/start-sandbox.js';
import type { Engine } from '../../bot/src/store/db.js';
import { FIXTURE_IDS } from '../helpers/bot-framework.js';
import { createTestDb, type TestDb, testEngines } from '../helpers/db.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fake-connector.js';
import { type ChildServer, startChildServer, watchVia } from './child-server.js';
import { cardCounts, freePort, SUPPORT, waitFor } from './support.js';

const EMAILS = 50;
/** Acknowledged notifications before the plug is pulled: the rest are in flight or not yet sent. */
const KILL_AFTER = 20;

/**
 * Issue 14: notifications are committed in groups (IntakeCommitter), and Graph gets its 202 only once its group is
 * committed. A kill -9 right after the 202s, with more requests in flight, must lose none of the acknowledged
 * ones: their ingest jobs are in the database before the restart, and each email then gets its card. The
 * notifications that got no 202 are sent again, as Graph redelivers them.
 */
describe.each(testEngines())('fault: kill -9 right after acknowledging notifications (%s)', (engine: Engine) => {
  const log = createLogger('silent');
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-kill9-intake-'));
  let testDb: TestDb;
  let sandbox: Sandbox;
  let connector: FakeConnector;
  let config: Config;
  let child: ChildServer;

  beforeAll(async () => {
    testDb = await createTestDb(engine, { file: join(dir, 'mailroom.db') });
    const base = loadConfig({
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url,
      LOG_LEVEL: 'silent',
      BOT_TENANT_ID: FIXTURE_IDS.tenantId,
    });
    sandbox = await startSandbox(base, log, { graph: 0, netsuite: 0 });
    config = sandbox.config;
    connector = await startFakeConnector();
    child = await startChildServer(config);
    expect(await watchVia(child.url, connector.url, SUPPORT)).toBe(200);
    // The mail lands in the mailbox quietly: its notifications are the test's to send, and to cut short.
    sandbox.graph.stopNotifications();
  }, 120_000);

  afterAll(async () => {
    await child?.stop();
    await connector?.close();
    await sandbox?.close();
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = (m: DeliveredCopy) => {
    const sub = [...sandbox.graph.state.subscriptions.values()].find((s) => s.resource.endsWith('/messages'));
    if (!sub) throw new Error('the watch made no Graph subscription');
    return JSON.stringify({
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          changeType: 'created',
          resource: `Users/${sub.userId}/Messages/${m.id}`,
          resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: m.id },
          clientState: sub.clientState,
          tenantId: sandbox.graph.state.tenantId,
        },
      ],
    });
  };
  const post = async (url: string, m: DeliveredCopy) => {
    try {
      const res = await fetch(`${url}/api/graph/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(m),
      });
      await res.text();
      return res.status;
    } catch {
      return 0;
    }
  };

  it('keeps every acknowledged notification, and every email gets its card', async () => {
    const copies: DeliveredCopy[] = [];
    for (let i = 0; i < EMAILS; i++) {
      const c = sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: `Ack9-${i}` })[0];
      if (c) copies.push(c);
    }
    expect(copies).toHaveLength(EMAILS);

    // All at once, so the requests share group commits; pull the plug as soon as KILL_AFTER are acknowledged.
    const acked = new Set<string>();
    let killing: Promise<void> | undefined;
    const url = child.url;
    const sends = copies.map(async (m) => {
      const status = await post(url, m);
      if (status === 202 && !killing) acked.add(m.id);
      if (acked.size >= KILL_AFTER) killing ??= child.kill9();
    });
    await Promise.all(sends);
    await killing;
    const killedAt = Date.now();
    const ackedAtKill = [...acked];
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(KILL_AFTER);
    const cardsAtKill = cardCounts({ connector }, 'Ack9-').size;

    // Before anything restarts: every acknowledged notification's ingest job is in the database.
    const jobs = await testDb.kysely.selectFrom('jobs').select('payload').where('kind', '=', 'mail.ingest').execute();
    const stored = new Set(jobs.map((j) => (JSON.parse(j.payload) as { messageId: string }).messageId));
    expect(ackedAtKill.filter((id) => !stored.has(id))).toEqual([]);
    if (process.env.FAULT_TRACE) {
      console.info(`kill9-intake ${engine}: ${ackedAtKill.length} acked, ${cardsAtKill} cards at the kill`);
    }

    // Restart; Graph sends again what was never acknowledged.
    child = await startChildServer(config);
    const missing = copies.filter((m) => !acked.has(m.id));
    for (const m of missing) expect(await post(child.url, m)).toBe(202);
    // A new thread whose post the kill cut short is taken over once its claim is stale (teams/card-jobs.ts: 90 s).
    await waitFor(() => cardCounts({ connector }, 'Ack9-').size === EMAILS, 200_000, 'a card per email');
    // A card post is the one side effect Teams cannot dedupe (docs/reliability.md): a post Teams accepted just
    // before the kill, not yet recorded, is posted again. Only such cards may come twice.
    const counts = cardCounts({ connector }, 'Ack9-');
    const twice = [...counts.entries()].filter(([, n]) => n > 1).map(([subject]) => subject);
    if (process.env.FAULT_TRACE) console.info(`kill9-intake ${engine}: posted twice ${twice.join(', ') || 'none'}`);
    expect([...counts.values()].every((n) => n >= 1)).toBe(true);
    for (const subject of twice) {
      const first = connector.posts.find(
        (p) => p.op !== 'update' && JSON.stringify(p.activity).includes(`${subject}"`),
      );
      expect(first?.at ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(killedAt);
    }
  }, 320_000);
});
