import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, PEOPLE, type Person } from '../autopilot/kit.js';

const isaiah = sandboxPerson('isaiah');
const ISAIAH = { id: isaiah.mri, name: isaiah.displayName, aadObjectId: isaiah.oid };

describe.each(testEngines())('/watch and /unwatch over HTTP on %s: Graph first, then one commit', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ engine, netsuite: false, env: { MAILROOM_ADMINS: isaiah.oid } });
  });
  afterAll(async () => h?.close());

  async function say(command: string, who: Person): Promise<string> {
    const before = h.connector.posts.length;
    const res = await h.send(channelCommand(command, { from: who }));
    expect(res.status).toBe(200);
    return JSON.stringify(cardOf(h.connector.posts.slice(before).find((p) => p.op === 'reply')) ?? null);
  }
  const k = () => h.mailroom.db.kysely;
  const graphSubscriptions = () => [...h.sandbox.graph.state.subscriptions.keys()];
  const rows = async () => ({
    mailboxes: await k().selectFrom('mailboxes').select(['address', 'active']).execute(),
    subscriptions: await k().selectFrom('subscriptions').select(['id', 'status']).orderBy('created_at').execute(),
    renewals: await k().selectFrom('jobs').select('dedupe_key').where('kind', '=', JobKind.renew).execute(),
    audit: await k().selectFrom('audit_log').select(['action', 'subject']).orderBy('id').execute(),
  });

  it('refuses a plain member: no row, no job, no audit entry and no Graph subscription', async () => {
    const before = await dbSnapshot(k());
    expect(await say('/watch support@contoso.com', PEOPLE.alex)).toMatch(/Only a Mailroom admin/);
    await h.settle();
    expect(await dbSnapshot(k())).toEqual(before);
    expect(graphSubscriptions()).toEqual([]);
  });

  it('leaves nothing behind, at Graph either, when the audit entry cannot be written', async () => {
    const before = await dbSnapshot(k());
    await sql`alter table audit_log rename to audit_log_away`.execute(k());
    try {
      expect(await say('/watch support@contoso.com', ISAIAH)).not.toContain('Now watching');
    } finally {
      await sql`alter table audit_log_away rename to audit_log`.execute(k());
    }
    expect(await dbSnapshot(k())).toEqual(before);
    expect(graphSubscriptions()).toEqual([]);
    const asked = h.sandbox.graph.state.requests.filter((r) => r.path.includes('/subscriptions'));
    expect(asked.map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('commits the mailbox, its subscription, its renewal and the audit entry together', async () => {
    expect(await say('/watch support@contoso.com', ISAIAH)).toContain('Now watching support@contoso.com');
    const [sub] = graphSubscriptions();
    expect(await rows()).toEqual({
      mailboxes: [{ address: 'support@contoso.com', active: 1 }],
      subscriptions: [{ id: sub, status: 'active' }],
      renewals: [{ dedupe_key: `${JobKind.renew}:${sub}` }],
      audit: [{ action: 'watch', subject: 'support@contoso.com' }],
    });
  });

  it('unwatches: Graph’s subscription deleted, then the rows and the audit entry in one commit', async () => {
    const [sub] = graphSubscriptions();
    expect(await say('/unwatch support@', PEOPLE.alex)).toMatch(/Only a Mailroom admin/);
    expect(graphSubscriptions()).toEqual([sub]);
    expect(await say('/unwatch support@', ISAIAH)).toContain('Stopped watching support@contoso.com');
    expect(graphSubscriptions()).toEqual([]);
    const now = await rows();
    expect(now.mailboxes).toEqual([{ address: 'support@contoso.com', active: 0 }]);
    expect(now.subscriptions).toEqual([{ id: sub, status: 'removed' }]);
    expect(now.audit.map((a) => a.action)).toEqual(['watch', 'unwatch']);
    const mailbox = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'support@contoso.com');
    expect(mailbox?.active).toBe(false);
  });
});
