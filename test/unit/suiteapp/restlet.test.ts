import { beforeEach, describe, expect, it } from 'vitest';
import { RecordStore } from '../../../bot/src/sandbox/netsuite-emulator/store.js';
import type { SuiteScriptError } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/error.js';
import { loadRestlet, type Restlet } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/restlet.js';
import { ATTACHMENTS_FOLDER_ID, suiteAppSeed } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/seed.js';
import { netsuiteSeed } from '../../../bot/src/sandbox/netsuite-seed.js';

// The compiled RESTlet (suiteapp/ts → suiteapp/src/FileCabinet/SuiteScripts/Mailroom, built by the globalSetup),
// run as NetSuite runs it, on in-memory N/record, N/file, N/search and N/query modules.

const MB = 1024 * 1024;
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

function request(over: Record<string, unknown> = {}) {
  return {
    externalId: 'mr_abc123',
    fileKey: 'mf_email1',
    record: { type: 'customer', id: '101' },
    subject: 'Order 1042 is late',
    body: '<p>Where is my order?</p>',
    authorEmail: 'ana@fabrikam.com',
    recipientEmail: 'support@contoso.com',
    cc: '',
    bcc: '',
    messageDate: '2026-12-07T03:00:00.000Z',
    attachments: [{ index: 0, name: 'po.pdf', contentType: 'application/pdf', content: b64(1000) }],
    ...over,
  };
}

interface Answer {
  messageId: string;
  created: boolean;
  files: Array<{ index: number; name: string; status: string; fileId?: string; reason?: string }>;
}

describe('the Mailroom save RESTlet', () => {
  let store: RecordStore;
  let restlet: Restlet;
  const post = (body: unknown) => restlet.post?.(body) as Answer;
  const thrown = (body: unknown): SuiteScriptError => {
    try {
      post(body);
    } catch (e) {
      return e as SuiteScriptError;
    }
    throw new Error('the RESTlet did not refuse');
  };

  beforeEach(() => {
    store = new RecordStore([...netsuiteSeed(), ...suiteAppSeed()]);
    restlet = loadRestlet(store);
  });

  it('creates the message on the record, with its file in the attachments folder', () => {
    const out = post(request());
    expect(out.created).toBe(true);
    const msg = store.get('message', out.messageId);
    expect(msg?.fields).toMatchObject({
      subject: 'Order 1042 is late',
      message: '<p>Where is my order?</p>',
      authoremail: 'ana@fabrikam.com',
      recipientemail: 'support@contoso.com',
      entity: '101',
      externalid: 'mr_abc123',
      emailed: false,
      messagedate: '2026-12-07T03:00:00.000Z',
    });
    expect(out.files).toEqual([{ index: 0, name: 'po.pdf', status: 'saved', fileId: expect.any(String) }]);
    const fileId = out.files[0]?.fileId ?? '';
    expect(store.get('file', fileId)?.fields).toMatchObject({
      name: 'mf_email1-0-po.pdf',
      folder: ATTACHMENTS_FOLDER_ID,
      filetype: 'PDF',
      filesize: 1000,
    });
    expect(store.attachments.get(out.messageId)).toEqual([fileId]);
  });

  it('links each record type through the field the Records Browser names', () => {
    const cases = [
      ['contact', '201', 'entity'],
      ['supportcase', '501', 'activity'],
      ['opportunity', '601', 'transaction'],
      ['transaction', '701', 'transaction'],
    ] as const;
    for (const [type, id, field] of cases) {
      const out = post(request({ externalId: `mr_${type}`, record: { type, id }, attachments: [] }));
      expect(store.get('message', out.messageId)?.fields[field], type).toBe(id);
    }
  });

  it('finds the message on a retry and creates nothing, reporting the files it already carries', () => {
    const first = post(request());
    const before = { messages: store.all('message').length, files: store.all('file').length };
    const again = post(request());
    expect(again).toEqual({ ...first, created: false });
    expect({ messages: store.all('message').length, files: store.all('file').length }).toEqual(before);
  });

  it('on a retry, stores and attaches the file the first save lost, once, and a second retry adds nothing', () => {
    const two = {
      attachments: [
        { index: 0, name: 'po.pdf', contentType: 'application/pdf', content: b64(1000) },
        { index: 1, name: 'scan.png', contentType: 'image/png', content: b64(2000) },
        { index: 2, name: 'huge.zip', contentType: 'application/zip', content: b64(11 * MB) },
      ],
    };
    store.fileSaveFaults.set('-1-scan.png', 1);
    const first = post(request(two));
    expect(first.files.map((f) => f.status)).toEqual(['saved', 'failed', 'skipped_too_large']);
    expect(store.attachments.get(first.messageId)).toEqual([first.files[0]?.fileId]);
    const filesBefore = store.all('file').length;

    const retry = post(request(two));
    expect(retry.created).toBe(false);
    expect(retry.messageId).toBe(first.messageId);
    expect(retry.files.map((f) => f.status)).toEqual(['saved', 'saved', 'skipped_too_large']);
    expect(retry.files[0]?.fileId).toBe(first.files[0]?.fileId);
    expect(retry.files[2]?.reason).toContain('10 MB');
    const scanId = retry.files[1]?.fileId;
    expect(store.get('file', scanId ?? '')?.fields).toMatchObject({ name: 'mf_email1-1-scan.png' });
    expect(store.attachments.get(first.messageId)).toEqual([first.files[0]?.fileId, scanId]);
    expect(store.all('file').length).toBe(filesBefore + 1);
    expect(store.all('message')).toHaveLength(1);

    const again = post(request(two));
    expect(again).toEqual(retry);
    expect(store.attachments.get(first.messageId)).toEqual([first.files[0]?.fileId, scanId]);
    expect(store.all('file').length).toBe(filesBefore + 1);
  });

  it('on a retry, attaches a file stored earlier but missing from the message, without storing it again', () => {
    store.fileSaveFaults.set('-0-po.pdf', 1);
    const first = post(request());
    expect(first.files[0]?.status).toBe('failed');
    // Another record of the same email stores the file under the same name meanwhile.
    const other = post(request({ externalId: 'mr_second', record: { type: 'contact', id: '201' } }));
    const filesBefore = store.all('file').length;
    const retry = post(request());
    expect(retry.files[0]).toMatchObject({ status: 'saved', fileId: other.files[0]?.fileId });
    expect(store.attachments.get(first.messageId)).toEqual([other.files[0]?.fileId]);
    expect(store.all('file').length).toBe(filesBefore);
  });

  it('stores a file once for two records of the same email, and attaches it to both messages', () => {
    const a = post(request());
    const b = post(request({ externalId: 'mr_second', record: { type: 'contact', id: '201' } }));
    expect(b.messageId).not.toBe(a.messageId);
    expect(b.files[0]?.fileId).toBe(a.files[0]?.fileId);
    expect(store.all('file').filter((f) => f.fields.folder === ATTACHMENTS_FOLDER_ID)).toHaveLength(2); // README + po.pdf
  });

  it('cuts a subject over 199 characters and keeps the whole subject at the top of the body', () => {
    const subject = `Re: ${'very long subject '.repeat(20)}end`;
    const out = post(request({ subject }));
    const fields = store.get('message', out.messageId)?.fields ?? {};
    expect(String(fields.subject)).toHaveLength(199);
    expect(subject.startsWith(String(fields.subject).slice(0, -1))).toBe(true);
    expect(String(fields.message).startsWith(`<p><b>Subject:</b> ${subject}</p>`)).toBe(true);
  });

  it('saves the rest when a file is over the 10 MB N/file limit, and names the limit', () => {
    const out = post(
      request({
        attachments: [
          { index: 0, name: 'po.pdf', contentType: 'application/pdf', content: b64(1000) },
          { index: 1, name: 'scan.tif', contentType: 'image/tiff', content: b64(10 * MB + 1) },
        ],
      }),
    );
    expect(out.created).toBe(true);
    expect(out.files[0]?.status).toBe('saved');
    expect(out.files[1]).toMatchObject({ index: 1, name: 'scan.tif', status: 'skipped_too_large' });
    expect(out.files[1]?.reason).toMatch(/10 MB limit for one file \(N\/file\)/);
    expect(store.attachments.get(out.messageId)).toHaveLength(1);
  });

  it('refuses a record that does not exist, and creates nothing', () => {
    const err = thrown(request({ record: { type: 'customer', id: '999' } }));
    expect(err.name).toBe('MAILROOM_RECORD_NOT_FOUND');
    expect(err.message).toContain('999');
    expect(store.all('message')).toEqual([]);
    expect(store.all('file')).toHaveLength(1); // the README only
  });

  it('refuses a record of another type under that id (a contact id named as a customer)', () => {
    expect(thrown(request({ record: { type: 'customer', id: '201' } })).name).toBe('MAILROOM_RECORD_NOT_FOUND');
    expect(thrown(request({ record: { type: 'opportunity', id: '701' } })).name).toBe('MAILROOM_RECORD_NOT_FOUND');
    expect(store.all('message')).toEqual([]);
  });

  it('refuses unknown fields, bad ids and non-base64 content, and changes nothing', () => {
    for (const bad of [
      request({ incoming: true }),
      request({ record: { type: 'customer', id: '101', name: 'x' } }),
      request({ record: { type: 'employee', id: '5' } }),
      request({ externalId: 'has space' }),
      request({ attachments: [{ index: 0, name: 'a', contentType: 'text/plain', content: 'not base64!' }] }),
      request({ attachments: [{ index: 0, name: 'a', contentType: 'text/plain', content: '', size: 1 }] }),
      request({ messageDate: 'yesterday' }),
      'not json',
    ]) {
      expect(thrown(bad).name, JSON.stringify(bad).slice(0, 80)).toBe('MAILROOM_BAD_REQUEST');
    }
    expect(store.all('message')).toEqual([]);
  });

  it('runs within the 5,000 units of one RESTlet call: 100 files fit, 170 do not, and each call starts afresh', () => {
    const files = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        index: i,
        name: `f${i}.pdf`,
        contentType: 'application/pdf',
        content: b64(10),
      }));
    const ok = post(request({ externalId: 'mr_hundred', attachments: files(100) }));
    expect(ok.files.filter((f) => f.status === 'saved')).toHaveLength(100);
    expect(thrown(request({ externalId: 'mr_too_many', fileKey: 'mf_other', attachments: files(170) })).name).toBe(
      'SSS_USAGE_LIMIT_EXCEEDED',
    );
    expect(store.all('message').filter((m) => m.fields.externalid === 'mr_too_many')).toEqual([]);
  });

  it('says how to fix a missing attachments folder', () => {
    store = new RecordStore(netsuiteSeed());
    restlet = loadRestlet(store);
    const err = thrown(request());
    expect(err.name).toBe('MAILROOM_NO_FOLDER');
    expect(err.message).toMatch(/deploy the SuiteApp again/);
    expect(store.all('message')).toEqual([]);
  });
});
