import { type Kysely, sql } from 'kysely';
import type { Engine } from '../store/db.js';
import { jsonField } from '../store/json-field.js';
import type { Database } from '../store/schema.js';

/** A mailbox's jobs still to run: waiting, running, and since when the oldest waiting one was added. */
export interface MailboxBacklog {
  queued: number;
  running: number;
  oldestQueuedAt: string | null;
}

/**
 * Each listed mailbox's jobs still to run, in one statement. A job names its mailbox in one of three ways, by the
 * fields of its payload (core/job-kinds.ts): `mailboxId` (ingest, catch-up, subscription upkeep); `emailId` (the
 * email jobs: its card, suggestions, category, autopilot), whose email is the mailbox's; `associationId` (a NetSuite
 * save), whose association's email is. All of them are work an admin waits on for that mailbox, and the backlog's
 * "stuck" warning names NetSuite and Teams errors, so all count. The job, the association and the email must each
 * be the tenant's: another tenant's job never counts, whatever ids its payload names, and neither does a job of
 * ours naming another tenant's email.
 *
 * The jobs are found on `status` (the leading column of the jobs indexes), which keeps to the live backlog however
 * many finished jobs the table holds; each payload is read once, where the old per-mailbox `like` scanned them all
 * once per mailbox.
 */
export async function mailboxBacklogs(
  db: Kysely<Database>,
  engine: Engine,
  tenantId: string,
  mailboxIds: string[],
): Promise<(mailboxId: string) => MailboxBacklog> {
  const out = new Map<string, MailboxBacklog>();
  const of = (id: string) => out.get(id) ?? { queued: 0, running: 0, oldestQueuedAt: null };
  if (mailboxIds.length === 0) return of;
  const field = (key: string) => jsonField(engine, 'j.payload', key);
  const mailboxOf = sql<string>`coalesce(${field('mailboxId')}, e.mailbox_id)`;
  const rows = await db
    .selectFrom((qb) =>
      qb
        .selectFrom('jobs as j')
        .leftJoin('associations as a', (join) =>
          join.on('a.id', '=', field('associationId')).onRef('a.tenant_id', '=', 'j.tenant_id'),
        )
        .leftJoin('emails as e', (join) =>
          join
            .on('e.id', '=', sql<string>`coalesce(${field('emailId')}, a.email_id)`)
            .onRef('e.tenant_id', '=', 'j.tenant_id'),
        )
        .where('j.tenant_id', '=', tenantId)
        .where('j.status', 'in', ['queued', 'running'])
        .select([mailboxOf.as('mailbox_id'), 'j.status', 'j.created_at'])
        .as('live'),
    )
    .where('live.mailbox_id', 'in', mailboxIds)
    .select(['live.mailbox_id', 'live.status'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('live.created_at').as('oldest')])
    .groupBy(['live.mailbox_id', 'live.status'])
    .execute();
  for (const r of rows) {
    const b = of(r.mailbox_id);
    out.set(r.mailbox_id, b);
    if (r.status === 'queued') {
      b.queued = Number(r.n);
      b.oldestQueuedAt = r.oldest;
    } else b.running = Number(r.n);
  }
  return of;
}
