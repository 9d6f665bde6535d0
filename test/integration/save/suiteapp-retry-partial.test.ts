import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { cardClick, latestCard } from '../../helpers/card-actions.js';
import { type Harness, startHarnessWithMail } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';

// A save whose one file fails for a moment ends partial; the card's Retry puts that file on the message NetSuite
// already holds, once, through the compiled SuiteApp RESTlet in the emulator.

const SUBJECT = 'Signed contract and the site photo';
const b64 = (bytes: number, fill: number) => Buffer.alloc(bytes, fill).toString('base64');

describe('Retry of a partial save through the SuiteApp RESTlet', () => {
  let h: Harness;
  let emailId: string;

  beforeAll(async () => {
    ({ h, emailId } = await startHarnessWithMail({
      subject: SUBJECT,
      attachments: [
        { name: 'contract.pdf', contentType: 'application/pdf', contentBase64: b64(30_000, 4) },
        { name: 'site.png', contentType: 'image/png', contentBase64: b64(50_000, 5) },
      ],
    }));
  });
  afterAll(async () => h?.close());

  const association = () =>
    h.mailroom.db.kysely
      .selectFrom('associations')
      .select(['id', 'status', 'attachments_json'])
      .where('email_id', '=', emailId)
      .executeTakeFirstOrThrow();
  const outcomes = (json: string | null) =>
    (JSON.parse(json ?? '[]') as Array<{ name: string; status: string }>).map((o) => [o.name, o.status]);
  const hasRetry = () => JSON.stringify(latestCard(h, emailId)).includes(`"verb":"${Verb.retry}"`);

  it('ends partial when one file fails once, and the card offers Retry', async () => {
    const ns = h.sandbox.netsuite.state;
    ns.store.fileSaveFaults.set('-1-site.png', 1);
    const res = await h.send(cardClick(Verb.save, { emailId, records: 'contact:201' }));
    expect(res.status).toBe(200);
    await h.settle();
    expect(ns.store.fileSaveFaults.size).toBe(0);
    const row = await association();
    expect(row.status).toBe('partial');
    expect(outcomes(row.attachments_json)).toEqual([
      ['contract.pdf', 'saved'],
      ['site.png', 'failed'],
    ]);
    const messages = ns.messages().filter((m) => m.fields.subject === SUBJECT);
    expect(messages).toHaveLength(1);
    expect(ns.store.attachments.get(messages[0]?.id ?? '')).toHaveLength(1);
    expect(validateCard(latestCard(h, emailId))).toEqual([]);
    expect(hasRetry()).toBe(true);
  });

  it('Retry puts the missing file on the same message once; the card stops offering Retry', async () => {
    const ns = h.sandbox.netsuite.state;
    const row = await association();
    const filesBefore = ns.files().length;
    const res = await h.send(cardClick(Verb.retry, { emailId, associationId: row.id }));
    expect(res.status).toBe(200);
    await h.settle();

    const after = await association();
    expect(after.status).toBe('saved');
    expect(outcomes(after.attachments_json)).toEqual([
      ['contract.pdf', 'saved'],
      ['site.png', 'saved'],
    ]);
    const messages = ns.messages().filter((m) => m.fields.subject === SUBJECT);
    expect(messages).toHaveLength(1);
    const site = ns.files().filter((f) => f.fields.description === 'site.png');
    expect(site).toHaveLength(1);
    expect(ns.files().length).toBe(filesBefore + 1);
    const onMessage = ns.store.attachments.get(messages[0]?.id ?? '') ?? [];
    expect(onMessage).toHaveLength(2);
    expect(onMessage.filter((id) => id === site[0]?.id)).toHaveLength(1);
    const card = latestCard(h, emailId);
    expect(validateCard(card)).toEqual([]);
    expect(hasRetry()).toBe(false);
  });

  it('a second Retry from an old card changes nothing', async () => {
    const ns = h.sandbox.netsuite.state;
    const row = await association();
    const before = {
      messages: ns.messages().length,
      files: ns.files().length,
      attachments: JSON.stringify([...ns.store.attachments.entries()]),
    };
    await h.send(cardClick(Verb.retry, { emailId, associationId: row.id }));
    await h.settle();
    expect((await association()).status).toBe('saved');
    expect({
      messages: ns.messages().length,
      files: ns.files().length,
      attachments: JSON.stringify([...ns.store.attachments.entries()]),
    }).toEqual(before);
  });
});
