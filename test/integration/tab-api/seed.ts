import type { Kysely } from 'kysely';
import pino from 'pino';
import { expect } from 'vitest';
import type { Engine } from '../../../bot/src/store/db.js';
import type { Database } from '../../../bot/src/store/schema.js';
import type { TabIdentity } from '../../../bot/src/tab-api/identity.js';
import { tabRoutes } from '../../../bot/src/tab-api/routes.js';
import type { ViewerScope } from '../../../bot/src/tab-api/viewer-scope.js';

export const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
export const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
export const ADELE = {
  oid: '00000000-0000-4000-8000-0000000000a1',
  tid: T1,
  name: 'Adele Vance',
  upn: 'adele@contoso.com',
};
export const ALEX = {
  oid: '00000000-0000-4000-8000-0000000000a2',
  tid: T1,
  name: 'Alex Wilber',
  upn: 'alex@contoso.com',
};
export const MEGAN = {
  oid: '00000000-0000-4000-8000-0000000000a3',
  tid: T1,
  name: 'Megan Bowen',
  upn: 'megan@contoso.com',
};
export const OTHER = { oid: '00000000-0000-4000-8000-0000000000b1', tid: T2, name: 'Fab Rikam', upn: 'f@fabrikam.com' };

type Assoc = Database['associations'];

/** The Microsoft 365 group of team-1, whose channels get the seeded mailboxes' cards. */
export const SEED_TEAM_GROUP = 'g-team-1';
const ADMIN_OID = '00000000-0000-4000-8000-0000000000ad';

/** An admin of every mailbox's view: no reach condition (the list functions' tests that are not about reach). */
export const WHOLE_TENANT: ViewerScope = { oid: ADMIN_OID, all: true, teams: [], problem: null };

/** A roster port under which everyone asked about is in every team (the tests that are not about reach). */
export const inEveryTeam = async (_identity: TabIdentity, groups: string[]) => ({ teams: groups, problem: null });

/** The dashboard tests' "now". */
export const SEED_NOW = new Date('2026-11-22T10:00:00.000Z');
/** An ISO time `min` minutes before `now`. */
export const minutesAgo = (min: number, now = SEED_NOW) => new Date(now.getTime() - min * 60_000).toISOString();

const webLink = (id: string) =>
  `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;

export async function insertMailbox(db: Kysely<Database>, tenant: string, id: string, address: string, at: string) {
  await db
    .insertInto('mailboxes')
    .values({
      id,
      tenant_id: tenant,
      address,
      graph_user_id: `u-${id}`,
      display_name: address.split('@')[0] ?? address,
      kind: 'shared',
      channel_conversation_id: `19:${id}@thread.tacv2`,
      channel_name: address.startsWith('sales') ? 'Sales' : 'Support',
      team_id: 'team-1',
      watched_by: ADELE.oid,
      active: 1,
      created_at: at,
      last_notification_at: at,
      last_catchup_at: at,
    })
    .execute();
}

export async function insertEmail(
  db: Kysely<Database>,
  e: {
    id: string;
    tenant: string;
    mailbox: string;
    subject: string;
    fromName: string;
    fromAddress: string;
    at: string;
  },
) {
  await db
    .insertInto('emails')
    .values({
      id: e.id,
      tenant_id: e.tenant,
      mailbox_id: e.mailbox,
      graph_message_id: `AAMk${e.id}`,
      internet_message_id: `<${e.id}@mail.example.com>`,
      conversation_id: `AAQk-conv-${e.id}`,
      subject: e.subject,
      from_name: e.fromName,
      from_address: e.fromAddress,
      to_json: '[]',
      cc_json: '[]',
      received_at: e.at,
      sent_at: e.at,
      body_preview: '',
      web_link: webLink(`AAMk${e.id}`),
      is_draft: 0,
      is_outgoing: 0,
      has_attachments: 0,
      created_at: e.at,
    })
    .execute();
}

export async function insertAssociation(
  db: Kysely<Database>,
  a: Pick<Assoc, 'id' | 'tenant_id' | 'email_id' | 'created_at'> & Partial<Assoc>,
) {
  await db
    .insertInto('associations')
    .values({
      internet_message_id: `<${a.email_id}@mail.example.com>`,
      record_type: 'customer',
      record_id: '101',
      record_name: 'Fabrikam Inc',
      saved_by_id: ADELE.oid,
      saved_by_name: ADELE.name,
      mode: 'one-time',
      rule_id: null,
      status: 'saved',
      external_id: `mr-${a.id}`,
      netsuite_message_id: '9001',
      error_code: null,
      error_message: null,
      attachments_json: null,
      updated_at: a.created_at,
      ...a,
    })
    .execute();
}

/**
 * A job of one email as the queue leaves it: by default its card post, failed for good because Teams refused it
 * (the bot was removed from the channel). `over` changes any column.
 */
export async function insertEmailJob(
  db: Kysely<Database>,
  id: string,
  tenant: string,
  emailId: string,
  runAt: string,
  over: Partial<Database['jobs']> = {},
) {
  const code = over.last_error_code === undefined ? 'teams_error' : over.last_error_code;
  await db
    .insertInto('jobs')
    .values({
      id,
      tenant_id: tenant,
      kind: 'card.post',
      payload: JSON.stringify({ emailId }),
      dedupe_key: null,
      status: 'failed',
      attempts: 1,
      run_at: runAt,
      lease_until: null,
      locked_by: null,
      last_error: code ? `failed: ${code}` : null,
      last_error_code: code,
      created_at: runAt,
      updated_at: runAt,
      ...over,
    })
    .execute();
}

/** A small tenant with two mailboxes, saves of every kind, rules by two owners, claims and audit rows. */
export async function seedDashboard(db: Kysely<Database>, now: Date) {
  const ago = (min: number) => minutesAgo(min, now);
  await insertMailbox(db, T1, 'mb-support', 'support@contoso.com', ago(5000));
  await insertMailbox(db, T1, 'mb-sales', 'sales@contoso.com', ago(5000));
  await insertMailbox(db, T2, 'mb-fab', 'support@fabrikam.com', ago(5000));
  await db
    .updateTable('mailboxes')
    .set({ last_catchup_at: ago(5), last_notification_at: ago(2), team_group_id: SEED_TEAM_GROUP })
    .execute();
  const emails = [
    {
      id: 'e1',
      mailbox: 'mb-support',
      subject: 'Invoice 4417 is wrong',
      fromName: 'Ana Bell',
      fromAddress: 'ana@fabrikam.com',
    },
    {
      id: 'e2',
      mailbox: 'mb-support',
      subject: 'Printer on fire',
      fromName: 'Bo Chen',
      fromAddress: 'bo@northwind.com',
    },
    {
      id: 'e3',
      mailbox: 'mb-sales',
      subject: 'Quote for 50 chairs',
      fromName: 'Cy Diaz',
      fromAddress: 'cy@tailspin.com',
    },
    {
      id: 'e4',
      mailbox: 'mb-sales',
      subject: 'Renewal question',
      fromName: 'Di Evans',
      fromAddress: 'di@fabrikam.com',
    },
  ];
  for (const [i, e] of emails.entries()) await insertEmail(db, { ...e, tenant: T1, at: ago(100 - i * 10) });
  await insertEmail(db, {
    id: 'x1',
    tenant: T2,
    mailbox: 'mb-fab',
    subject: 'Secret of Fabrikam',
    fromName: 'Zed',
    fromAddress: 'z@x.com',
    at: ago(5),
  });
  await insertAssociation(db, {
    id: 'a1',
    tenant_id: T1,
    email_id: 'e1',
    created_at: ago(90),
    record_name: 'Fabrikam Inc',
  });
  await insertAssociation(db, {
    id: 'a2',
    tenant_id: T1,
    email_id: 'e2',
    created_at: ago(80),
    record_type: 'supportcase',
    record_id: '77',
    record_name: 'Case 77: printer',
    status: 'failed',
    error_code: 'netsuite_permission',
    error_message: 'The NetSuite role cannot create messages.',
    saved_by_id: ALEX.oid,
    saved_by_name: ALEX.name,
  });
  await insertAssociation(db, {
    id: 'a3',
    tenant_id: T1,
    email_id: 'e3',
    created_at: ago(70),
    record_name: 'Tailspin Toys',
    mode: 'autopilot',
    rule_id: 'r1',
  });
  await insertAssociation(db, {
    id: 'a4',
    tenant_id: T1,
    email_id: 'e4',
    created_at: ago(60),
    record_name: 'Fabrikam Inc',
    status: 'pending',
  });
  await insertAssociation(db, {
    id: 'x-a1',
    tenant_id: T2,
    email_id: 'x1',
    created_at: ago(5),
    record_name: 'Secret Corp',
  });

  const rule = (
    id: string,
    tenant: string,
    mailbox: string,
    kind: string,
    match: string,
    owner: typeof ADELE,
    at: string,
  ) =>
    db
      .insertInto('autopilot_rules')
      .values({
        id,
        tenant_id: tenant,
        mailbox_id: mailbox,
        kind,
        match_value: match,
        targets_json:
          kind === 'mailbox' ? '[]' : JSON.stringify([{ type: 'customer', id: '101', name: 'Tailspin Toys' }]),
        owner_id: owner.oid,
        owner_name: owner.name,
        created_at: at,
        active: 1,
        turned_off_by: null,
        turned_off_at: null,
      })
      .execute();
  await rule('r1', T1, 'mb-sales', 'address', 'cy@tailspin.com', ADELE, ago(200));
  await rule('r2', T1, 'mb-support', 'thread', 'AAQk-conv-e2', ALEX, ago(150));
  await rule('r3', T1, 'mb-sales', 'mailbox', '', ALEX, ago(120));
  await rule('x-r1', T2, 'mb-fab', 'mailbox', '', OTHER, ago(100));

  await db
    .insertInto('claims')
    .values([
      { tenant_id: T1, email_id: 'e1', user_id: ALEX.oid, user_name: ALEX.name, claimed_at: ago(45) },
      { tenant_id: T1, email_id: 'e4', user_id: ALEX.oid, user_name: ALEX.name, claimed_at: ago(10) },
      { tenant_id: T1, email_id: 'e2', user_id: ADELE.oid, user_name: ADELE.name, claimed_at: ago(30) },
      { tenant_id: T2, email_id: 'x1', user_id: OTHER.oid, user_name: OTHER.name, claimed_at: ago(3) },
    ])
    .execute();

  await db
    .insertInto('licenses')
    .values({ tenant_id: T1, license_key: 'demo', seats: 5, expires_at: ago(-60 * 24 * 300), updated_at: ago(5000) })
    .execute();
  await db
    .insertInto('license_seats')
    .values({ tenant_id: T1, subject: 'sales@contoso.com', assigned_by: ADELE.oid, assigned_at: ago(4000) })
    .execute();
  await db
    .insertInto('subscriptions')
    .values([
      {
        id: 'sub-1',
        tenant_id: T1,
        mailbox_id: 'mb-support',
        client_state: 's',
        resource: 'users/u-mb-support/messages',
        expires_at: ago(30),
        created_at: ago(5000),
        renewed_at: null,
        status: 'active',
      },
      {
        id: 'sub-2',
        tenant_id: T1,
        mailbox_id: 'mb-sales',
        client_state: 's',
        resource: 'users/u-mb-sales/messages',
        expires_at: ago(-2000),
        created_at: ago(5000),
        renewed_at: ago(100),
        status: 'active',
      },
    ])
    .execute();
  await db
    .insertInto('jobs')
    .values({
      id: 'j1',
      tenant_id: T1,
      kind: 'save',
      payload: JSON.stringify({ mailboxId: 'mb-sales', emailId: 'e4' }),
      dedupe_key: null,
      status: 'queued',
      attempts: 0,
      run_at: ago(1),
      lease_until: null,
      locked_by: null,
      last_error: null,
      last_error_code: null,
      created_at: ago(1),
      updated_at: ago(1),
    })
    .execute();

  const audit = (at: string, actor: typeof ADELE, action: string, subject: string, tenant = T1) => ({
    tenant_id: tenant,
    at,
    actor_id: actor.oid,
    actor_name: actor.name,
    action,
    subject,
    detail: null,
  });
  await db
    .insertInto('audit_log')
    .values([
      audit(ago(200), ADELE, 'rule_on', 'r1'),
      audit(ago(150), ALEX, 'rule_on', 'r2'),
      audit(ago(90), ADELE, 'save', 'a1'),
      audit(ago(45), ALEX, 'claim', 'e1'),
      audit(ago(3), OTHER, 'claim', 'x1', T2),
    ])
    .execute();
}

/** What `GET /api/tab/mailboxes` lists for `who` at `now` (in `team`'s view if given), by mailbox id. */
export async function listedMailboxes<Card extends { id: string }>(
  db: Kysely<Database>,
  engine: Engine,
  now: Date,
  who: TabIdentity,
  team?: string,
): Promise<Record<string, Card>> {
  const route = tabRoutes({
    db,
    engine,
    recordUrl: () => '',
    isAdmin: async () => false,
    teamsOf: inEveryTeam,
    turnOffRule: async () => undefined,
    retrySave: async () => undefined,
    releaseClaim: async () => undefined,
    // Only GET /api/tab/mailboxes is called: nothing is queued.
    queue: { requeueFailed: async () => 0 },
    log: pino({ level: 'silent' }),
    now: () => now,
  }).find((r) => r.method === 'GET' && r.path === '/api/tab/mailboxes');
  if (!route) throw new Error('no GET /api/tab/mailboxes');
  const res = await route.handler({ identity: who, query: team ? { team } : {}, params: {}, body: null });
  expect(res.status).toBe(200);
  const items = (res.body as { items: Card[] }).items;
  return Object.fromEntries(items.map((m) => [m.id, m]));
}
