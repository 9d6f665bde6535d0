import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaveEmailInput } from '../../../bot/src/core/ports.js';
import { externalIdFor } from '../../../bot/src/netsuite/external-id.js';
import type { NetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { serviceFor, startEmulator } from './harness.js';

let ns: NetSuiteEmulator;
beforeAll(async () => {
  ns = await startEmulator();
});
afterAll(async () => ns.close());

describe('suggest', () => {
  it('offers the contact, their company, its open case and open opportunity, each with a reason', async () => {
    const got = await serviceFor(ns.url).suggest(['Ana@Fabrikam.com'], { budgetMs: 3000 });
    expect(got.map((s) => [s.type, s.name])).toEqual([
      ['contact', 'Ana Ruiz'],
      ['customer', 'Fabrikam, Inc.'],
      ['supportcase', 'Case #1042: Order 1042 is late'],
      ['opportunity', 'Fabrikam spring restock (#OPP601)'],
    ]);
    expect(got[0]?.reason).toBe("ana@fabrikam.com is this contact's email");
    expect(got[2]?.reason).toBe('open case of Fabrikam, Inc.');
    // The closed case and the won opportunity are not offered.
    expect(got.some((s) => s.name.includes('Damaged pallet') || s.name.includes('renewal'))).toBe(false);
  });

  it('matches each address as contact ▸ customer ▸ vendor ▸ partner', async () => {
    const got = await serviceFor(ns.url).suggest(
      [
        'sam@tailspintoys.example',
        'pat@adventure-works.example',
        'billing@wideworldimporters.example',
        'nobody@nowhere.example',
        'not an address',
      ],
      { budgetMs: 3000 },
    );
    expect(got.map((s) => `${s.type}:${s.name}`)).toEqual([
      'vendor:Tailspin Toys',
      'partner:Adventure Works',
      'customer:Wide World Importers',
    ]);
  });

  it('returns what it has when the budget runs out', async () => {
    // Each NetSuite answer takes LATENCY; the budget fits the first round (the address look-ups, sent together)
    // with a whole LATENCY to spare for a loaded machine, and ends long before the second round could answer.
    const LATENCY = 1500;
    ns.setLatency(LATENCY);
    try {
      const started = Date.now();
      const partial = await serviceFor(ns.url).suggest(['ana@fabrikam.com'], { budgetMs: LATENCY + 1000 });
      // It did not wait for the second round (which could not end before 2 × LATENCY).
      expect(Date.now() - started).toBeLessThan(2 * LATENCY);
      // The address lookups (first round) made it; the company's cases (second round) did not.
      expect(partial.map((s) => s.type)).toEqual(['contact']);
      const none = await serviceFor(ns.url).suggest(['ana@fabrikam.com'], { budgetMs: 50 });
      expect(none).toEqual([]);
    } finally {
      ns.setLatency(0);
    }
  });
});

describe('search and matchSender', () => {
  it('finds records by name, email or number, at most 15', async () => {
    const svc = serviceFor(ns.url);
    const byName = await svc.search('fabrikam');
    expect(byName.map((r) => `${r.type}:${r.id}`)).toEqual(
      expect.arrayContaining(['customer:101', 'contact:201', 'opportunity:601']),
    );
    const byNumber = await svc.search('1042');
    expect(byNumber.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Case #1042: Order 1042 is late', 'Sales order #SO1042: Order 1042']),
    );
    for (let i = 0; i < 20; i++) {
      ns.state.store.create('customer', { companyName: `Bulk Buyer ${i}`, email: `buyer${i}@bulk.example` });
    }
    expect(await svc.search('bulk buyer', { limit: 50 })).toHaveLength(15);
    expect(await svc.search('%%')).toEqual([]);
    expect((await svc.search("o'brien")).map((r) => r.name)).toEqual(["O'Brien & Sons"]);
  });

  it('answers a slow typeahead with what arrived in time', async () => {
    ns.setLatency(400);
    try {
      const started = Date.now();
      expect(await serviceFor(ns.url).search('fabrikam', { budgetMs: 150 })).toEqual([]);
      expect(Date.now() - started).toBeLessThan(400);
    } finally {
      ns.setLatency(0);
    }
  });

  it('resolves a sender to its best record', async () => {
    const svc = serviceFor(ns.url);
    expect(await svc.matchSender('li@northwind.example')).toEqual({ type: 'contact', id: '202', name: 'Li Wei' });
    expect(await svc.matchSender('SAM@tailspintoys.example')).toMatchObject({ type: 'vendor', id: '301' });
    expect(await svc.matchSender('stranger@example.org')).toBeNull();
    expect(await svc.matchSender("x' OR 1=1")).toBeNull();
  });
});

function email(over: Partial<SaveEmailInput> = {}): SaveEmailInput {
  const record = over.record ?? { type: 'supportcase', id: '501', name: 'Order 1042 is late' };
  return {
    tenantId: 'tenant-1',
    externalId: externalIdFor('tenant-1', '<1042-late@mail.fabrikam.com>', record.type, record.id),
    record,
    subject: 'Re: Order 1042 is late',
    bodyHtml: '<p>Hi, any news on order 1042?</p>',
    author: { name: 'Ana Ruiz', address: 'ana@fabrikam.com' },
    to: [
      { name: 'Support', address: 'support@contoso.com' },
      { name: 'Sales', address: 'sales@contoso.com' },
    ],
    cc: [{ name: 'Jon Berg', address: 'jon@fabrikam.com' }],
    bcc: [],
    messageDate: '2026-11-22T10:32:00.000Z',
    incoming: true,
    attachments: [],
    ...over,
  };
}

describe('saveEmail (through the SuiteApp RESTlet)', () => {
  it('creates one NetSuite message with the email’s fields, linked to the case', async () => {
    const input = email();
    const res = await serviceFor(ns.url).saveEmail(input);
    expect(res.created).toBe(true);
    const msg = ns.state.store.get('message', res.netsuiteMessageId);
    // SuiteScript field ids (the Records Browser), as the RESTlet sets them.
    expect(msg?.fields).toMatchObject({
      externalid: input.externalId,
      subject: 'Re: Order 1042 is late',
      message: '<p>Hi, any news on order 1042?</p>',
      authoremail: 'ana@fabrikam.com',
      recipientemail: 'support@contoso.com',
      cc: 'sales@contoso.com, jon@fabrikam.com',
      messagedate: '2026-11-22T10:32:00.000Z',
      emailed: false,
      activity: '501',
    });
    expect(msg?.fields.entity).toBeUndefined();
  });

  it('after a crash between the POST and our commit, the retry finds the message and creates nothing', async () => {
    const input = email({ record: { type: 'customer', id: '101', name: 'Fabrikam, Inc.' } });
    const svc = serviceFor(ns.url);
    const first = await svc.saveEmail(input);
    const count = ns.state.messages().length;
    const second = await svc.saveEmail(input);
    expect(second).toMatchObject({ created: false, netsuiteMessageId: first.netsuiteMessageId });
    expect(ns.state.messages().length).toBe(count);
    expect(ns.state.store.get('message', first.netsuiteMessageId)?.fields.entity).toBe('101');
  });

  it('concurrent saves of the same (email, record) leave exactly one message', async () => {
    const input = email({ record: { type: 'opportunity', id: '601', name: 'Fabrikam spring restock' } });
    const results = await Promise.all(Array.from({ length: 8 }, () => serviceFor(ns.url).saveEmail(input)));
    const mine = ns.state.messages().filter((m) => m.fields.externalid === input.externalId);
    expect(mine).toHaveLength(1);
    expect(new Set(results.map((r) => r.netsuiteMessageId))).toEqual(new Set([mine[0]?.id]));
    expect(mine[0]?.fields.transaction).toBe('601');
  });

  it('files attachments that fit one 10 MB request, and names the limit for those that do not', async () => {
    const small = Buffer.from('%PDF-1.7 invoice copy').toString('base64');
    const big = Buffer.alloc(8 * 1024 * 1024).toString('base64');
    const input = email({
      emailKey: '<attachments@mail.fabrikam.com>',
      record: { type: 'contact', id: '201', name: 'Ana Ruiz' },
      attachments: [
        { id: 'a1', name: 'invoice.pdf', contentType: 'application/pdf', size: 21, contentBytes: small },
        { id: 'a2', name: 'scan.tiff', contentType: 'image/tiff', size: 8 * 1024 * 1024, contentBytes: big },
        { id: 'a3', name: 'Fwd: quote', contentType: 'message/rfc822', size: 900 },
      ],
    });
    const svc = serviceFor(ns.url);
    const res = await svc.saveEmail(input);
    expect(res.attachments.map((a) => [a.name, a.status])).toEqual([
      ['invoice.pdf', 'saved'],
      ['scan.tiff', 'skipped_too_large'],
      ['Fwd: quote', 'failed'],
    ]);
    expect(res.attachments[1]?.reason).toMatch(/10 MB limit for one RESTlet request/);
    expect(ns.state.store.attachments.get(res.netsuiteMessageId)).toHaveLength(1);
    const files = ns.state.files().length;
    await svc.saveEmail(input);
    expect(ns.state.files().length).toBe(files);
  });

  it('sends at most 100 files in one save, keeping the RESTlet within its usage units, and names that limit', async () => {
    const pdf = Buffer.from('%PDF-1.7').toString('base64');
    const res = await serviceFor(ns.url).saveEmail(
      email({
        emailKey: '<many-files@mail.fabrikam.com>',
        record: { type: 'customer', id: '102', name: 'Northwind Traders' },
        attachments: Array.from({ length: 101 }, (_, i) => ({
          id: `m${i}`,
          name: `page-${i}.pdf`,
          contentType: 'application/pdf',
          size: 8,
          contentBytes: pdf,
        })),
      }),
    );
    expect(res.attachments.filter((a) => a.status === 'saved')).toHaveLength(100);
    expect(res.attachments[100]).toMatchObject({ name: 'page-100.pdf', status: 'skipped_too_large' });
    expect(res.attachments[100]?.reason).toMatch(/100 files .* 5,000 usage units/);
  });

  it('refuses a record that is gone with netsuite_not_found, and creates nothing', async () => {
    const count = ns.state.messages().length;
    await expect(
      serviceFor(ns.url).saveEmail(email({ record: { type: 'customer', id: '999', name: 'Gone' } })),
    ).rejects.toMatchObject({ code: 'netsuite_not_found' });
    expect(ns.state.messages().length).toBe(count);
  });

  it('says to deploy the SuiteApp when the account has none', async () => {
    const bare = await startEmulator({ suiteApp: false });
    try {
      await expect(serviceFor(bare.url).saveEmail(email())).rejects.toMatchObject({
        code: 'netsuite_not_configured',
        remedy: expect.stringMatching(/Deploy it as docs\/admin.md says/),
      });
      expect(bare.state.messages()).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('cuts a body over NetSuite’s limit and says so', async () => {
    const res = await serviceFor(ns.url).saveEmail(
      email({
        record: { type: 'partner', id: '401', name: 'Adventure Works' },
        bodyHtml: `<p>${'x'.repeat(150_000)}</p>`,
      }),
    );
    const body = String(ns.state.store.get('message', res.netsuiteMessageId)?.fields.message);
    expect(body.length).toBeLessThanOrEqual(65_534);
    expect(body).toContain('the rest is in the mailbox');
  });
});

describe('links and summaries', () => {
  it('deep-links each record type to its NetSuite page', async () => {
    const svc = serviceFor(ns.url);
    expect(svc.recordUrl({ type: 'customer', id: '101' })).toBe(`${ns.url}/app/common/entity/custjob.nl?id=101`);
    expect(svc.recordUrl({ type: 'supportcase', id: '501' })).toBe(`${ns.url}/app/crm/support/supportcase.nl?id=501`);
    const page = await fetch(svc.recordUrl({ type: 'customer', id: '101' }));
    expect(await page.text()).toContain('Fabrikam, Inc.');
  });

  it('summarizes a record for link unfurling', async () => {
    const s = await serviceFor(ns.url).getRecordSummary('supportcase', '501');
    expect(s).toMatchObject({ name: 'Order 1042 is late', typeLabel: 'Support case' });
    expect(s.facts).toContainEqual({ title: 'Status', value: 'In Progress' });
  });

  it('shows references by the name NetSuite gives them (refName), not their ids', async () => {
    const svc = serviceFor(ns.url);
    expect((await svc.getRecordSummary('customer', '101')).facts).toContainEqual({
      title: 'Status',
      value: 'CUSTOMER-Closed Won',
    });
    expect((await svc.getRecordSummary('contact', '201')).facts).toContainEqual({
      title: 'Company',
      value: 'Fabrikam, Inc.',
    });
  });

  it("lists a record's saved messages and each message's attachments on its page", async () => {
    const store = ns.state.store;
    const file = store.create('file', { name: 'po-7781.pdf', folder: '1', filetype: 'PDF', filesize: 1234 });
    const message = store.create('message', { subject: 'PO <7781>', entity: '203' });
    store.attachments.set(message.id, [file.id]);
    const svc = serviceFor(ns.url);
    const contactPage = await (await fetch(svc.recordUrl({ type: 'contact', id: '203' }))).text();
    expect(contactPage).toContain('PO &#60;7781&#62;');
    expect(contactPage).toContain('po-7781.pdf (PDF, 1234 bytes)');
    const messagePage = await (await fetch(`${ns.url}/app/crm/common/crmmessage.nl?id=${message.id}`)).text();
    expect(messagePage).toContain('<h2>Attachments</h2><ul><li>po-7781.pdf');
    const other = await (await fetch(svc.recordUrl({ type: 'contact', id: '202' }))).text();
    expect(other).toContain('None saved here yet.');
  });

  it('summarizes a transaction of any type through SuiteQL (REST has no generic transaction record)', async () => {
    const before = ns.state.counters.requests;
    const s = await serviceFor(ns.url).getRecordSummary('transaction', '701');
    expect(s).toMatchObject({ name: 'Sales order #SO1042: Order 1042', typeLabel: 'Transaction' });
    expect(s.facts).toEqual([
      { title: 'Number', value: 'SO1042' },
      { title: 'Customer', value: 'Fabrikam, Inc.' },
      { title: 'Total', value: '12750' },
    ]);
    expect(ns.state.counters.requests - before).toBe(2);
    await expect(serviceFor(ns.url).getRecordSummary('transaction', '999')).rejects.toMatchObject({
      code: 'netsuite_not_found',
    });
  });
});
