import type { Insertable, Kysely } from 'kysely';
import type { AuditTable, Database } from '../../bot/src/store/schema.js';
import { MAILBOXES, TENANT } from './seed-associations.js';

const START = Date.parse('2025-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3600 * 1000;
const PEOPLE = ['Ana Ruiz', 'Li Wei', 'Jon Berg', 'Sam Park', 'Pat Lee', 'Kim Roe', 'Max Fox', 'Eva Cruz'];
/** How often each audit action occurs, as a year of a busy tenant has them: saves dominate. */
const ACTIONS: Array<[string, number]> = [
  ['save', 80],
  ['claim', 12],
  ['release', 6],
  ['rule_on', 1],
  ['rule_off', 1],
];

/** The action at a point of the cumulative weights, `pick` in [0, total weight). */
function actionAt(pick: number): string {
  let left = pick;
  for (const [action, w] of ACTIONS) {
    if (left < w) return action;
    left -= w;
  }
  return 'save';
}

async function inBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * What the rest of the Dashboard reads, in proportion to `count` saved emails (seed-associations.ts, which this
 * follows): an audit log of about 1.2 rows per email over the year; open claims, 2 % of the emails up to 500 (a
 * claim ends when its reply is sent, so they do not pile up); one autopilot rule per 200 emails up to 1,000 (a
 * third turned off, and kept); a day of finished jobs and a small backlog; each mailbox's subscription and seat.
 */
export async function seedDashboardExtras(db: Kysely<Database>, count: number): Promise<void> {
  const total = Math.round(count * 1.2);
  const weights = ACTIONS.reduce((s, [, w]) => s + w, 0);
  const audit: Array<Insertable<AuditTable>> = [];
  for (let i = 0; i < total; i++) {
    const h = Math.imul(i + 7, 2654435761) >>> 0;
    const action = actionAt(h % weights);
    const person = PEOPLE[(h >>> 12) % PEOPLE.length] ?? '';
    const email = `e${Math.min(count - 1, Math.floor((i * count) / total))}`;
    audit.push({
      tenant_id: TENANT,
      at: new Date(START + Math.floor((i * YEAR_MS) / total)).toISOString(),
      actor_id: `user${(h >>> 12) % PEOPLE.length}`,
      actor_name: person,
      action,
      subject: action.startsWith('rule') ? `rule${i % 997}` : email,
      detail: action === 'save' ? JSON.stringify({ record: { type: 'customer', name: 'Fabrikam' } }) : null,
    });
  }
  await inBatches(audit, 1000, (b) => db.insertInto('audit_log').values(b).execute());

  const claims = Math.min(500, Math.max(10, Math.floor(count / 50)));
  await inBatches(
    Array.from({ length: claims }, (_, k) => {
      const i = count - 1 - k * 3;
      const person = PEOPLE[k % PEOPLE.length] ?? '';
      return {
        tenant_id: TENANT,
        email_id: `e${i}`,
        user_id: `user${k % PEOPLE.length}`,
        user_name: person,
        claimed_at: new Date(START + YEAR_MS - k * 60_000).toISOString(),
        user_mri: null,
      };
    }),
    1000,
    (b) => db.insertInto('claims').values(b).execute(),
  );

  const rules = Math.min(1_000, Math.max(10, Math.floor(count / 200)));
  await inBatches(
    Array.from({ length: rules }, (_, k) => {
      const kind = ['thread', 'address', 'mailbox'][k % 3] ?? 'address';
      const at = new Date(START + Math.floor((k * YEAR_MS) / rules)).toISOString();
      return {
        id: `rule${k}`,
        tenant_id: TENANT,
        mailbox_id: `mb${k % MAILBOXES.length}`,
        kind,
        match_value: kind === 'thread' ? `conv${k * 7}` : kind === 'address' ? `sender${k}@example.com` : '',
        targets_json: kind === 'mailbox' ? '[]' : JSON.stringify([{ type: 'customer', id: '101', name: 'Fabrikam' }]),
        owner_id: `user${k % PEOPLE.length}`,
        owner_name: PEOPLE[k % PEOPLE.length] ?? '',
        created_at: at,
        active: k % 3 === 2 ? 0 : 1,
        turned_off_by: k % 3 === 2 ? 'Adele Vance' : null,
        turned_off_at: k % 3 === 2 ? at : null,
      };
    }),
    1000,
    (b) => db.insertInto('autopilot_rules').values(b).execute(),
  );

  // Finished jobs are pruned daily, so a day of them (five per email at this volume), plus a small backlog. Each
  // names its mailbox as the queue's jobs do (core/job-kinds.ts): an ingest by the mailbox's id, a card by its
  // email, a save by its association.
  const now = new Date(START + YEAR_MS).toISOString();
  const perDay = Math.ceil((count * 5) / 365);
  const job = (k: number) => {
    const i = Math.max(0, count - 1 - (k % count));
    if (k % 3 === 0)
      return { kind: 'mail.ingest', payload: { mailboxId: `mb${i % MAILBOXES.length}`, messageId: `m${k}` } };
    if (k % 3 === 1) return { kind: 'card.post', payload: { emailId: `e${i}` } };
    return { kind: 'netsuite.save', payload: { associationId: `a${String(i).padStart(8, '0')}` } };
  };
  await inBatches(
    Array.from({ length: perDay + 50 }, (_, k) => ({
      id: `job${k}`,
      tenant_id: TENANT,
      kind: job(k).kind,
      payload: JSON.stringify(job(k).payload),
      dedupe_key: null,
      status: k < perDay ? 'done' : 'queued',
      attempts: k < perDay ? 1 : 0,
      run_at: now,
      lease_until: null,
      locked_by: null,
      last_error: null,
      last_error_code: null,
      created_at: now,
      updated_at: now,
    })),
    1000,
    (b) => db.insertInto('jobs').values(b).execute(),
  );

  const expires = new Date(START + YEAR_MS + 3 * 24 * 3600 * 1000).toISOString();
  await db
    .insertInto('subscriptions')
    .values(
      MAILBOXES.map((_, i) => ({
        id: `sub${i}`,
        tenant_id: TENANT,
        mailbox_id: `mb${i}`,
        client_state: 'x'.repeat(32),
        resource: `users/user-mb${i}/messages`,
        expires_at: expires,
        created_at: now,
        renewed_at: now,
        status: 'active',
      })),
    )
    .execute();
  await db
    .insertInto('licenses')
    .values({ tenant_id: TENANT, license_key: 'bench', seats: 5, expires_at: expires, updated_at: now })
    .execute();
  await db
    .insertInto('license_seats')
    .values(MAILBOXES.map((m) => ({ tenant_id: TENANT, subject: m, assigned_by: 'bench', assigned_at: now })))
    .execute();
}
