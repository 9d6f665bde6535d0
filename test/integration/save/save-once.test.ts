import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIdFor } from '../../../bot/src/core/external-id.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { cardClick, latestCard } from '../../helpers/card-actions.js';
import { FIXTURE_IDS, type Harness, startHarnessWithMail } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';

describe('save to NetSuite from the card', () => {
  let h: Harness;
  let emailId: string;

  beforeAll(async () => {
    ({ h, emailId } = await startHarnessWithMail({
      subject: 'Order 1042 is late',
    }));
  });
  afterAll(async () => h?.close());

  it('offers the sender’s NetSuite matches on the card once they arrive', async () => {
    const card = latestCard(h, emailId);
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('Ana Ruiz');
    expect(JSON.stringify(card)).toContain('contact:201');
  });

  it('creates exactly one NetSuite message when twenty people click Save at once', async () => {
    const before = h.sandbox.netsuite.state.messages().length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => h.send(cardClick(Verb.save, { emailId, records: 'contact:201' }))),
    );
    for (const a of answers) expect(a.status).toBe(200);
    await h.settle();
    const messages = h.sandbox.netsuite.state.messages();
    expect(messages.length).toBe(before + 1);
    const externalId = externalIdFor(FIXTURE_IDS.tenantId, await imid(h, emailId), 'contact', '201');
    expect(messages.filter((m) => m.fields.externalid === externalId)).toHaveLength(1);
    const card = latestCard(h, emailId);
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).toMatch(/Saved to \[Ana Ruiz\]\([^)]*\) \(Contact\) by Adele Vance/);
    expect(JSON.stringify(card)).toContain('Save to another record');
    const copy = h.sandbox.graph.state.messages.find((m) => m.subject === 'Order 1042 is late');
    expect(copy?.categories).toContain('Saved to NetSuite');
  });

  it('answers "Already saved" when the same record is picked again, and creates nothing', async () => {
    const before = h.sandbox.netsuite.state.messages().length;
    const res = await h.send(cardClick(Verb.save, { emailId, records: 'contact:201' }));
    expect(JSON.stringify(res.body)).toContain('Already saved to Ana Ruiz (Contact) by Adele Vance');
    await h.settle();
    expect(h.sandbox.netsuite.state.messages().length).toBe(before);
  });

  it('shows a failed save on the card with Retry, and Retry saves it', async () => {
    h.sandbox.netsuite.failFor(2_000, 400);
    await h.send(cardClick(Verb.save, { emailId, records: 'customer:101' }));
    await h.settle();
    const failed = latestCard(h, emailId);
    expect(validateCard(failed)).toEqual([]);
    expect(JSON.stringify(failed)).toContain('Save failed');
    const assoc = await h.mailroom.db.kysely
      .selectFrom('associations')
      .select(['id', 'status'])
      .where('record_id', '=', '101')
      .executeTakeFirstOrThrow();
    expect(assoc.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 2_100));
    await h.send(cardClick(Verb.retry, { emailId, associationId: assoc.id }));
    await h.settle();
    const after = await h.mailroom.db.kysely
      .selectFrom('associations')
      .select('status')
      .where('id', '=', assoc.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('saved');
    expect(JSON.stringify(latestCard(h, emailId))).toMatch(/Saved to \[Fabrikam/);
  });

  it('creates nothing on a retry after a crash between the NetSuite POST and our commit', async () => {
    const email = await h.mailroom.repos.emails.byId(FIXTURE_IDS.tenantId, emailId);
    if (!email) throw new Error('email missing');
    // The first attempt reached NetSuite, then the process died before recording it.
    const { association } = await h.mailroom.repos.associations.insertIfNew({
      tenantId: FIXTURE_IDS.tenantId,
      emailId,
      internetMessageId: email.internetMessageId,
      record: { type: 'supportcase', id: '501', name: 'Order 1042 is late' },
      savedBy: { id: 'x', name: 'Adele Vance' },
      mode: 'one-time',
      ruleId: null,
      externalId: externalIdFor(FIXTURE_IDS.tenantId, email.internetMessageId, 'supportcase', '501'),
      now: new Date().toISOString(),
    });
    await h.mailroom.records.saveEmail({
      tenantId: FIXTURE_IDS.tenantId,
      externalId: association.externalId,
      record: association.record,
      subject: email.subject,
      bodyHtml: '<p>first attempt</p>',
      author: email.from,
      to: email.to,
      cc: [],
      bcc: [],
      messageDate: email.receivedAt,
      incoming: true,
      attachments: [],
    });
    const before = h.sandbox.netsuite.state.messages().length;
    await h.mailroom.queue.enqueue({
      tenantId: FIXTURE_IDS.tenantId,
      kind: 'netsuite.save',
      payload: { associationId: association.id },
    });
    await h.settle();
    expect(h.sandbox.netsuite.state.messages().length).toBe(before);
    const row = await h.mailroom.repos.associations.byId(FIXTURE_IDS.tenantId, association.id);
    expect(row?.status).toBe('saved');
  });
});

async function imid(h: Harness, emailId: string): Promise<string> {
  const e = await h.mailroom.repos.emails.byId(FIXTURE_IDS.tenantId, emailId);
  return e?.internetMessageId ?? '';
}
