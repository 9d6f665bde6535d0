import type { Db } from '../../bot/src/store/db.js';
import type { Harness } from '../helpers/harness.js';

export const SUPPORT = 'support@contoso.com';

/** The cards (new threads and replies, not updates) that reached the channel for a subject. */
export function cardPostsFor(h: Harness, subject: string) {
  return h.connector.posts.filter(
    (p) => (p.op === 'thread' || p.op === 'reply') && JSON.stringify(p.activity).includes(subject),
  );
}

/** Card posts per distinct subject starting with `prefix`: every email should map to exactly 1. */
export function cardCounts(h: Pick<Harness, 'connector'>, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of h.connector.posts) {
    if (p.op !== 'thread' && p.op !== 'reply') continue;
    const m = new RegExp(`${prefix}[\\w-]*`).exec(JSON.stringify(p.activity));
    if (m) out.set(m[0], (out.get(m[0]) ?? 0) + 1);
  }
  return out;
}

/** Makes queued jobs of a kind due now (as if their time had come). */
export async function makeDue(h: Harness, kind: string): Promise<number> {
  const r = await h.mailroom.db.kysely
    .updateTable('jobs')
    .set({ run_at: new Date().toISOString() })
    .where('kind', '=', kind)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The emulator's live subscription on a mailbox. */
export function graphSubscription(h: Harness, address = SUPPORT) {
  const user = h.sandbox.graph.state.users.find((u) => u.userPrincipalName === address);
  const sub = [...h.sandbox.graph.state.subscriptions.values()].find((s) => s.userId === user?.id);
  if (!sub) throw new Error(`no Graph subscription on ${address}`);
  return sub;
}

/** Mailroom's stored subscriptions for a mailbox. */
export async function storedSubscriptions(h: Harness, address = SUPPORT) {
  return h.mailroom.db.kysely
    .selectFrom('subscriptions')
    .innerJoin('mailboxes', 'mailboxes.id', 'subscriptions.mailbox_id')
    .select(['subscriptions.id', 'subscriptions.status', 'subscriptions.expires_at', 'mailboxes.last_catchup_at'])
    .where('mailboxes.address', '=', address)
    .execute();
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition') {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A loopback port nobody listens on right now. */
export { freePort } from '../helpers/free-port.js';

/** Why a PostgreSQL-only fault test did not run, or null when it can. */
export function postgresMissing(): string | null {
  return process.env.TEST_DATABASE_URL
    ? null
    : 'skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the multi-process fault tests';
}

/** NetSuite messages per externalId, as the emulator holds them. */
export function messagesByExternalId(messages: Array<{ fields: Record<string, unknown> }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of messages) {
    const ext = String(m.fields.externalid);
    out.set(ext, (out.get(ext) ?? 0) + 1);
  }
  return out;
}

/** Jobs and saves by state, for a failure message that says where things got stuck. */
export async function stateSummary(db: Db): Promise<string> {
  const jobs = await db.kysely
    .selectFrom('jobs')
    .select(['kind', 'status', 'last_error_code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'status', 'last_error_code'])
    .execute();
  const saves = await db.kysely
    .selectFrom('associations')
    .select(['status', 'error_code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['status', 'error_code'])
    .execute();
  return JSON.stringify({ jobs, saves });
}

/**
 * A dead process's NetSuite permits (`rate_slots` leases, 30 s) come back when their lease runs out; this makes
 * them run out now, as makeDue does for jobs. Only for a test where no live process holds a permit.
 */
export async function expireNetSuitePermits(db: Db): Promise<number> {
  const r = await db.kysely
    .updateTable('rate_slots')
    .set({ lease_until: new Date(Date.now() - 1).toISOString() })
    .where('key', 'like', 'netsuite:%')
    .where('lease_until', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
