import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENTS_FOLDER_ID } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/seed.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { cardClick, latestCard } from '../../helpers/card-actions.js';
import { type Harness, startHarnessWithMail } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';

// Issue 12 §1, end to end in the sandbox: the card's Save, the job, Mailroom's RESTlet call, and the compiled
// SuiteApp RESTlet running in the NetSuite emulator on the same records SuiteQL reads.

const MB = 1024 * 1024;
const b64 = (bytes: number, fill: number) => Buffer.alloc(bytes, fill).toString('base64');

describe('save through the Mailroom SuiteApp RESTlet', () => {
  let h: Harness;
  let emailId: string;

  beforeAll(async () => {
    ({ h, emailId } = await startHarnessWithMail({
      subject: 'Pallet photos and the signed delivery note',
      attachments: [
        { name: 'delivery-note.pdf', contentType: 'application/pdf', contentBase64: b64(40_000, 1) },
        { name: 'pallet.png', contentType: 'image/png', contentBase64: b64(90_000, 2) },
        { name: 'warehouse-scan.tiff', contentType: 'image/tiff', contentBase64: b64(8 * MB, 3) },
      ],
    }));
  });
  afterAll(async () => h?.close());

  it('saves to two records: a message each, two files stored once, the third named with the 10 MB limit', async () => {
    const ns = h.sandbox.netsuite.state;
    const filesBefore = ns.files().length;
    const res = await h.send(cardClick(Verb.save, { emailId, records: 'contact:201,supportcase:501' }));
    expect(res.status).toBe(200);
    await h.settle();

    const messages = ns.messages().filter((m) => m.fields.subject === 'Pallet photos and the signed delivery note');
    expect(messages.map((m) => [m.fields.entity, m.fields.activity])).toEqual(
      expect.arrayContaining([
        ['201', undefined],
        [undefined, '501'],
      ]),
    );
    expect(messages).toHaveLength(2);
    const stored = ns.files().slice(filesBefore);
    expect(stored.map((f) => [f.fields.description, f.fields.folder])).toEqual([
      ['delivery-note.pdf', ATTACHMENTS_FOLDER_ID],
      ['pallet.png', ATTACHMENTS_FOLDER_ID],
    ]);
    // Both messages carry the same two files.
    const ids = stored.map((f) => f.id);
    for (const m of messages) expect(ns.store.attachments.get(m.id)).toEqual(ids);

    const rows = await h.mailroom.db.kysely
      .selectFrom('associations')
      .select(['status', 'attachments_json'])
      .where('email_id', '=', emailId)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['partial', 'partial']);
    for (const r of rows) {
      const outcomes = JSON.parse(r.attachments_json ?? '[]') as Array<{
        name: string;
        status: string;
        reason?: string;
      }>;
      expect(outcomes.map((o) => o.status)).toEqual(['saved', 'saved', 'skipped_too_large']);
      expect(outcomes[2]?.reason).toMatch(/10 MB limit for one RESTlet request/);
    }
  });

  it('shows the partial save and its reason on the card and in the Dashboard', async () => {
    const card = latestCard(h, emailId);
    expect(validateCard(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Some attachments were not saved');
    expect(text).toContain('warehouse-scan.tiff: over NetSuite');
    expect(text).toContain('10 MB limit for one RESTlet request');

    const p = sandboxPerson('isaiah');
    const token = await h.tabToken({ oid: p.oid, name: p.displayName, upn: p.upn });
    const res = await fetch(`${h.url}/api/tab/associations?status=partial`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as {
      items: Array<{ subject: string; status: string; error: { code: string; message: string } | null }>;
    };
    const mine = body.items.filter((i) => i.subject === 'Pallet photos and the signed delivery note');
    expect(mine).toHaveLength(2);
    for (const i of mine) {
      expect(i.error?.code).toBe('attachments_not_saved');
      expect(i.error?.message).toMatch(/warehouse-scan\.tiff: over NetSuite's 10 MB limit for one RESTlet request/);
    }
  });

  it('a second Save of a record it is on finds the message through the RESTlet and creates nothing', async () => {
    const before = h.sandbox.netsuite.state.messages().length;
    const res = await h.send(cardClick(Verb.save, { emailId, records: 'contact:201' }));
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.sandbox.netsuite.state.messages().length).toBe(before);
  });
});
