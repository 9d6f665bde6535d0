import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../bot/src/http/server.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { createLogger } from '../../../bot/src/log.js';
import { acceptNotifications, cachedLookup, IntakeCommitter, type IntakeDeps } from '../../../bot/src/mail/intake.js';
import { MAX_NOTIFICATIONS_PER_REQUEST } from '../../../bot/src/mail/notifications.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';

/** A forged notification: well-formed, naming a subscription Mailroom never made. */
const forged = (i: number) => ({
  subscriptionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  clientState: 'guess',
  changeType: 'created',
  resource: `Users/u/Messages/m${i}`,
  tenantId: 't',
  resourceData: { id: `m${i}` },
});

/**
 * F3 of issue 11: a 1 MB POST of forged notifications costs one look-up per distinct subscription id (up to the
 * per-request cap), stores nothing, answers 202 (Graph must not retry it), and writes one log line.
 */
describe('a flood of forged notifications', () => {
  let db: TestDb;
  let url: string;
  let close: () => void;
  let lookups = 0;
  /** Notifications the intake reported stored: what main.ts's flood meter counts. */
  let stored = 0;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    const mailboxes = new MailboxRepo(db);
    const intake: IntakeDeps = { db, queue: new JobQueue(db), mailboxes, clock: () => new Date() };
    const real = cachedLookup(mailboxes);
    const deps = {
      ...intake,
      committer: new IntakeCommitter(intake, undefined, (n) => {
        stored += n;
      }),
      lookup: (id: string) => {
        lookups++;
        return real(id);
      },
    };
    const log = createLogger('info', { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) });
    const server = createServer({
      log,
      processActivity: async () => undefined,
      graph: {
        notifications: (body, l) => acceptNotifications(deps, body, l),
        lifecycle: async () => ({ accepted: 0, rejected: 0 }),
      },
      ready: async () => true,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(async () => {
    close?.();
    await db?.drop();
  });

  it('answers 202, stores nothing, looks up at most the cap, and logs one summary line', async () => {
    const value = Array.from({ length: 5000 }, (_, i) => forged(i));
    const body = JSON.stringify({ value });
    expect(body.length).toBeLessThan(1024 * 1024);
    const before = await dbSnapshot(db.kysely);
    lines.length = 0;
    const res = await fetch(`${url}/api/graph/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(202);
    expect(await dbSnapshot(db.kysely)).toEqual(before);
    expect(lookups).toBe(MAX_NOTIFICATIONS_PER_REQUEST);
    // Refused notifications never reach the flood meter, so a forger cannot slow the worker down.
    expect(stored).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'graph notifications stored, some dropped',
        accepted: 0,
        rejected: 5000,
        drops: {
          dropped: 5000,
          reasons: {
            unknown_subscription: MAX_NOTIFICATIONS_PER_REQUEST,
            over_limit: 5000 - MAX_NOTIFICATIONS_PER_REQUEST,
          },
          subscriptionIds: expect.any(Array),
        },
      }),
    ]);
  });
});
