import type { Insertable, Kysely } from 'kysely';
import type { AssociationTable, Database, EmailTable } from '../../bot/src/store/schema.js';

export const TENANT = '72f988bf-0000-4000-8000-00000000bench';
export const MAILBOXES = ['support', 'sales', 'billing', 'orders', 'help'].map((m) => `${m}@contoso.com`);
/** 50 companies: a search for one matches about 2 % of the rows. */
export const COMPANIES = Array.from({ length: 50 }, (_, i) => `Company${String(i).padStart(2, '0')} Trading`);
const TOPICS = ['Order', 'Invoice', 'Delivery', 'Quote', 'Return', 'Contract', 'Payment', 'Warranty'];
const PEOPLE = ['Ana Ruiz', 'Li Wei', 'Jon Berg', 'Sam Park', 'Pat Lee', 'Kim Roe', 'Max Fox', 'Eva Cruz'];
const START = Date.parse('2025-01-01T00:00:00Z');

function rowsFor(i: number, spacingMs: number): { email: Insertable<EmailTable>; assoc: Insertable<AssociationTable> } {
  const at = new Date(START + i * spacingMs).toISOString();
  // A multiplicative hash spreads company, person and status independently of the mailbox (i % 5), so a filter on
  // one never empties another by accident.
  const h = Math.imul(i, 2654435761) >>> 0;
  const company = COMPANIES[(h >>> 8) % COMPANIES.length] ?? '';
  const person = PEOPLE[(h >>> 16) % PEOPLE.length] ?? '';
  const imid = `<bench-${i}@mail.example>`;
  const status = h % 20 === 0 ? 'failed' : h % 20 === 1 ? 'partial' : h % 20 < 4 ? 'pending' : 'saved';
  return {
    email: {
      id: `e${i}`,
      tenant_id: TENANT,
      mailbox_id: `mb${i % MAILBOXES.length}`,
      graph_message_id: `AAMk${i}`,
      internet_message_id: imid,
      conversation_id: `conv${Math.floor(i / 3)}`,
      subject: `${TOPICS[i % TOPICS.length]} ${10_000 + (i % 90_000)} for ${company}`,
      from_name: person,
      from_address: `${person.split(' ')[0]?.toLowerCase()}@${company.split(' ')[0]?.toLowerCase()}.example`,
      to_json: '[]',
      cc_json: '[]',
      received_at: at,
      sent_at: at,
      body_preview: 'Hello, please see below.',
      web_link: `https://outlook.office365.com/owa/?ItemID=AAMk${i}`,
      is_draft: 0,
      is_outgoing: 0,
      has_attachments: 0,
      created_at: at,
      suggestions_json: null,
      autopilot_note: null,
    },
    assoc: {
      id: `a${String(i).padStart(8, '0')}`,
      tenant_id: TENANT,
      email_id: `e${i}`,
      internet_message_id: imid,
      record_type: 'customer',
      record_id: String(100 + ((h >>> 8) % COMPANIES.length)),
      record_name: company,
      saved_by_id: `user${(h >>> 16) % PEOPLE.length}`,
      saved_by_name: person,
      mode: (h >>> 4) % 4 === 0 ? 'autopilot' : 'one-time',
      rule_id: null,
      status,
      external_id: `mailroom-${i}`,
      netsuite_message_id: status === 'saved' ? String(900_000 + i) : null,
      error_code: status === 'failed' ? 'netsuite_validation' : null,
      error_message: status === 'failed' ? 'NetSuite refused the record.' : null,
      attachments_json: null,
      created_at: at,
      updated_at: at,
    },
  };
}

/**
 * `count` saved emails (one association each) across five mailboxes of one tenant, a year's spread of dates,
 * inserted in batches of `batch` rows through Kysely, `parallel` batches at a time.
 */
export async function seedAssociations(
  db: Kysely<Database>,
  count: number,
  opts: { batch?: number; parallel?: number; log?: (line: string) => void } = {},
): Promise<void> {
  const batch = opts.batch ?? 1000;
  const spacingMs = Math.floor((365 * 24 * 3600 * 1000) / count);
  const now = new Date().toISOString();
  await db
    .insertInto('mailboxes')
    .values(
      MAILBOXES.map((address, i) => ({
        id: `mb${i}`,
        tenant_id: TENANT,
        address,
        graph_user_id: `user-mb${i}`,
        display_name: address,
        kind: 'shared',
        channel_conversation_id: null,
        channel_name: null,
        team_id: null,
        team_group_id: `bench-team-${i}`,
        watched_by: 'bench',
        active: 1,
        created_at: now,
        last_notification_at: null,
        last_catchup_at: null,
      })),
    )
    .execute();
  const starts: number[] = [];
  for (let s = 0; s < count; s += batch) starts.push(s);
  const one = async (s: number) => {
    const rows = Array.from({ length: Math.min(batch, count - s) }, (_, k) => rowsFor(s + k, spacingMs));
    await db
      .insertInto('emails')
      .values(rows.map((r) => r.email))
      .execute();
    await db
      .insertInto('associations')
      .values(rows.map((r) => r.assoc))
      .execute();
  };
  const parallel = opts.parallel ?? 1;
  for (let k = 0; k < starts.length; k += parallel) {
    await Promise.all(starts.slice(k, k + parallel).map(one));
    if (opts.log && (k / parallel) % 100 === 0) opts.log(`    seeded ${Math.min(count, (k + parallel) * batch)}`);
  }
}
