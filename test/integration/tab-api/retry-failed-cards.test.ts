import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RERUNNABLE_EMAIL_JOB_KINDS } from '../../../bot/src/core/job-kinds.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { testEngines } from '../../helpers/db.js';
import { FIXTURE_IDS, type Harness } from '../../helpers/harness.js';
import { channelCards, emailId, netsuiteMessages, PEOPLE, say, startLicensedHarness } from '../autopilot/kit.js';

const SUBJECT = 'Order 77 is lost';

/**
 * The Dashboard's Try again through the whole of Mailroom: Teams refused a card (the bot had been removed from the
 * channel), the admin fixed that and pressed Try again. Then every kind Try again runs, run a second time on an
 * email whose work is all done, must not do it twice.
 */
describe.each(testEngines())("Try again on a mailbox's failed cards, through Mailroom on %s", (engine) => {
  let h: Harness;
  let mailboxId: string;
  let token: string;

  beforeAll(async () => {
    h = await startLicensedHarness(engine, PEOPLE.adele.aadObjectId);
    await h.watch('support@contoso.com');
    expect(await say(h, '/license assign support@')).toContain('now has a Mailroom license');
    expect(await say(h, '/autopilot on support@')).toContain('Autopilot is on for support@contoso.com');
    const row = await h.mailroom.db.kysely
      .selectFrom('mailboxes')
      .select('id')
      .where('address', '=', 'support@contoso.com')
      .executeTakeFirstOrThrow();
    mailboxId = row.id;
    const adele = sandboxPerson('adele');
    token = await h.tabToken({ oid: adele.oid, name: adele.displayName, upn: adele.upn });
  }, 60_000);
  afterAll(async () => h?.close());

  const tryAgain = async () => {
    const res = await fetch(`${h.url}/api/tab/mailboxes/${mailboxId}/retry-failed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as { queued?: number } };
  };
  const failedJobs = async () => {
    const res = await fetch(`${h.url}/api/tab/mailboxes`, { headers: { authorization: `Bearer ${token}` } });
    const { items } = (await res.json()) as { items: Array<{ id: string; failedJobs: { count: number } }> };
    return items.find((m) => m.id === mailboxId)?.failedJobs.count;
  };
  /** The new threads and replies of the channel that show the email. */
  const postsOfEmail = () =>
    h.connector.posts.filter((p) => p.op !== 'update' && JSON.stringify(p.activity).includes(SUBJECT)).length;

  it('posts the card Teams refused once the admin presses Try again, and only once', async () => {
    // The bot was removed from the channel: Teams answers the card's post 403, which no retry changes.
    h.connector.failNext(1, 403);
    h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      fromName: 'Ana Ruiz',
      subject: SUBJECT,
    });
    await h.settle();
    expect(postsOfEmail()).toBe(0);
    expect(await failedJobs()).toBe(1);
    // Autopilot saved it all the same.
    expect(netsuiteMessages(h, SUBJECT)).toHaveLength(1);

    expect(await tryAgain()).toEqual({ status: 202, body: { mailboxId, queued: 1 } });
    await h.settle();
    expect(postsOfEmail()).toBe(1);
    expect(channelCards(h).find((c) => c.includes(SUBJECT))).toContain('Auto-saved to');
    expect(await failedJobs()).toBe(0);
    expect(await tryAgain()).toEqual({ status: 202, body: { mailboxId, queued: 0 } });
  });

  it('runs every kind it re-queues a second time without doing its work twice', async () => {
    const id = await emailId(h, SUBJECT);
    const now = new Date().toISOString();
    await h.mailroom.db.kysely
      .insertInto('jobs')
      .values(
        RERUNNABLE_EMAIL_JOB_KINDS.map((kind, n) => ({
          id: `rerun-${n}`,
          tenant_id: FIXTURE_IDS.tenantId,
          kind,
          payload: JSON.stringify({ emailId: id }),
          dedupe_key: null,
          status: 'failed',
          attempts: 12,
          run_at: now,
          lease_until: null,
          locked_by: null,
          last_error: 'failed for good',
          last_error_code: 'teams_unavailable',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    expect(await failedJobs()).toBe(RERUNNABLE_EMAIL_JOB_KINDS.length);
    const message = h.sandbox.graph.state.messages.find((m) => m.subject === SUBJECT);
    const categories = [...(message?.categories ?? [])];
    expect(categories).toContain('Saved to NetSuite');

    expect((await tryAgain()).body.queued).toBe(RERUNNABLE_EMAIL_JOB_KINDS.length);
    await h.settle();
    const rows = await h.mailroom.db.kysely
      .selectFrom('jobs')
      .select('status')
      .where('id', 'like', 'rerun-%')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(RERUNNABLE_EMAIL_JOB_KINDS.map(() => 'done'));
    // One card (updated, not posted again), one NetSuite message, the category once.
    expect(postsOfEmail()).toBe(1);
    expect(netsuiteMessages(h, SUBJECT)).toHaveLength(1);
    expect(message?.categories).toEqual(categories);
    expect(await failedJobs()).toBe(0);
  });
});
