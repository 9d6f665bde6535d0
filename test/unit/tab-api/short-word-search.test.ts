import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../bot/src/store/db.js';
import { associationsQuery, listAssociations } from '../../../bot/src/tab-api/list-associations.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { insertAssociation, insertEmail, insertMailbox, T1, T2, WHOLE_TENANT } from '../../integration/tab-api/seed.js';

/** More saves than a short word may match on SQLite to be fetched by id (FEW, 500): the common words are scanned. */
const FILLERS = 700;
const DAY0 = Date.parse('2026-06-01T00:00:00Z');
const at = (minute: number) => new Date(DAY0 + minute * 60_000).toISOString();

interface Item {
  id: string;
  subject: string;
  from: string;
  address: string;
  record: string;
}

/** The rare rows, older than every filler: a newest-first scan reaches them last. */
const RARE: Item[] = [
  { id: 'r-pct', subject: 'Rate 50% off', from: 'Bo Tan', address: 'bo@tan.example', record: 'Tan Co' },
  { id: 'r-und', subject: 'file_x ready', from: 'Bo Tan', address: 'bo@tan.example', record: 'Tan Co' },
  { id: 'r-bsl', subject: 'path C:\\tmp', from: 'Bo Tan', address: 'bo@tan.example', record: 'Tan Co' },
  { id: 'r-uc', subject: 'ÉCOLE ÇA', from: 'ÆRØ Øst', address: 'aero@tan.example', record: 'Tan Co' },
  { id: 'r-lc', subject: 'école ça', from: 'ærø øst', address: 'aero@tan.example', record: 'Tan Co' },
  { id: 'r-zq', subject: 'Quarterly', from: 'Bo Tan', address: 'bo@tan.example', record: 'ZQ Holdings' },
  { id: 'r-emo', subject: 'Party 🎉 time', from: 'Bo Tan', address: 'bo@tan.example', record: 'Tan Co' },
];
/** A Teams message saved from the messaging extension: its author is searched as an email's sender is. */
const TEAMS: Item = { id: 'r-tm', subject: 'Standup', from: 'Qy Bot', address: 'qy@tan.example', record: 'Tan Co' };

/**
 * What a search must return, by its definition and without any index: every word (lower-cased, at most eight)
 * is a substring of one field, newest first. PostgreSQL folds the fields' case with lower(); SQLite's LIKE folds
 * ASCII letters only, and a word of three characters or more goes through FTS5, which folds all letters.
 */
function expected(engine: Engine, items: Array<Item & { minute: number }>, q: string): string[] {
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const fold = (s: string, term: string) =>
    engine === 'sqlite' && [...term].length < 3 ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s.toLowerCase();
  return items
    .filter((it) =>
      terms.every((t) => [it.subject, it.from, it.address, it.record].some((f) => fold(f, t).includes(t))),
    )
    .sort((a, b) => b.minute - a.minute)
    .map((it) => it.id);
}

describe.each(testEngines())('Dashboard search of short words on %s', (engine) => {
  let db: TestDb;
  const items: Array<Item & { minute: number }> = [];

  beforeAll(async () => {
    db = await createTestDb(engine);
    await insertMailbox(db.kysely, T1, 'mb-support', 'support@contoso.com', at(0));
    await insertMailbox(db.kysely, T2, 'mb-other', 'support@fabrikam.com', at(0));
    let minute = 0;
    const save = async (it: Item, tenant = T1) => {
      minute += 1;
      await insertEmail(db.kysely, {
        id: `e-${it.id}`,
        tenant,
        mailbox: tenant === T1 ? 'mb-support' : 'mb-other',
        subject: it.subject,
        fromName: it.from,
        fromAddress: it.address,
        at: at(minute),
      });
      await insertAssociation(db.kysely, {
        id: it.id,
        tenant_id: tenant,
        email_id: `e-${it.id}`,
        created_at: at(minute),
        record_name: it.record,
      });
      if (tenant === T1) items.push({ ...it, minute });
    };
    for (const it of RARE) await save(it);
    minute += 1;
    await db.kysely
      .insertInto('teams_messages')
      .values({
        id: 'tm-1',
        tenant_id: T1,
        message_key: 'k1',
        team_id: null,
        subject: TEAMS.subject,
        author_name: TEAMS.from,
        author_address: TEAMS.address,
        body_html: '<p>hi</p>',
        posted_at: at(minute),
        web_link: null,
        created_at: at(minute),
      })
      .execute();
    await insertAssociation(db.kysely, { id: TEAMS.id, tenant_id: T1, email_id: 'tm-1', created_at: at(minute) });
    items.push({ ...TEAMS, minute });
    // Another tenant's save holds the rare words too, and must never show.
    await save({ ...RARE[5], id: 'x-zq' } as Item, T2);
    const fillers = Array.from({ length: FILLERS }, (_, k) => ({
      id: `f${String(k).padStart(5, '0')}`,
      subject: `Order ${1000 + k}`,
      from: 'Pat Lee',
      address: 'pat@contoso.example',
      record: 'Contoso Ltd',
      minute: minute + 1 + k,
    }));
    for (let k = 0; k < fillers.length; k += 300) {
      const batch = fillers.slice(k, k + 300);
      await db.kysely
        .insertInto('emails')
        .values(
          batch.map((f) => ({
            id: `e-${f.id}`,
            tenant_id: T1,
            mailbox_id: 'mb-support',
            graph_message_id: `AAMk-${f.id}`,
            internet_message_id: `<${f.id}@mail.example.com>`,
            conversation_id: `conv-${f.id}`,
            subject: f.subject,
            from_name: f.from,
            from_address: f.address,
            to_json: '[]',
            cc_json: '[]',
            received_at: at(f.minute),
            sent_at: at(f.minute),
            body_preview: '',
            web_link: `https://outlook.office365.com/owa/?ItemID=${f.id}`,
            is_draft: 0,
            is_outgoing: 0,
            has_attachments: 0,
            created_at: at(f.minute),
          })),
        )
        .execute();
      for (const f of batch)
        await insertAssociation(db.kysely, {
          id: f.id,
          tenant_id: T1,
          email_id: `e-${f.id}`,
          created_at: at(f.minute),
          record_name: f.record,
        });
    }
    items.push(...fillers);
  }, 120_000);
  afterAll(async () => db?.drop());

  /** Every match, page after page through the cursors. */
  async function search(q: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await listAssociations(
        db.kysely,
        db.engine,
        T1,
        associationsQuery.parse({ q, limit, cursor }),
        () => '',
        WHOLE_TENANT,
      );
      ids.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
    throw new Error(`more than 100 pages for ${q}`);
  }

  it('finds rare short words past the newest saves, literally: %, _ and backslash are text', async () => {
    expect(await search('zq', 50)).toEqual(['r-zq']);
    expect(await search('ZQ', 50)).toEqual(['r-zq']);
    expect(await search('%', 50)).toEqual(['r-pct']);
    expect(await search('0%', 50)).toEqual(['r-pct']);
    expect(await search('_', 50)).toEqual(['r-und']);
    expect(await search('e_', 50)).toEqual(['r-und']);
    expect(await search('\\', 50)).toEqual(['r-bsl']);
    expect(await search(':\\', 50)).toEqual(['r-bsl']);
    expect(await search('🎉', 50)).toEqual(['r-emo']);
    expect(await search('qy', 50)).toEqual(['r-tm']);
    expect(await search('zq qy', 50)).toEqual([]);
    expect(await search('xj', 50)).toEqual([]);
    expect(await search('ça', 50)).toEqual(engine === 'postgres' ? ['r-lc', 'r-uc'] : ['r-lc']);
  });

  it('gives the same rows in the same order as reading every save, page after page', async () => {
    const queries = [
      ...['zq', 'q', 'x', 'Ø', 'øs', 'ÆR', 'é', 'É', 'ÇA', '50', '%', '%%', '_', '__', '\\', '\\\\', '🎉'],
      ...['or', 'e', '10', 'pa', 'le', 'o zq', 'bo ta', 'qy st', 'ZQ holdings', 'école ça', '% 5'],
      'a b c d e f g h zq',
    ];
    for (const q of queries) {
      const want = expected(engine, items, q);
      // Small pages for the rare words (many cursors), full pages for the common ones (every filler).
      for (const limit of want.length > 100 ? [100] : [7, 100]) {
        expect({ q, limit, got: await search(q, limit) }).toEqual({ q, limit, got: want });
      }
    }
  }, 120_000);

  it('refuses nothing odd and finds nothing for a hostile query: long, all wildcards', async () => {
    expect(await search('%_\\'.repeat(66), 50)).toEqual([]);
    expect(await search(Array.from({ length: 60 }, () => '%').join(' '), 50)).toEqual(['r-pct']);
    expect(await search("' or 1=1 --", 50)).toEqual([]);
  });
});
