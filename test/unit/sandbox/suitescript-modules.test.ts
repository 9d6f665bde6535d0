import { beforeEach, describe, expect, it } from 'vitest';
import { RecordStore } from '../../../bot/src/sandbox/netsuite-emulator/store.js';
import { fileModule } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/file.js';
import { Governance } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/governance.js';
import { queryModule } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/query.js';
import { recordModule } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/record.js';
import { searchModule } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/search.js';
import { ATTACHMENTS_FOLDER_ID, suiteAppSeed } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/seed.js';
import { netsuiteSeed } from '../../../bot/src/sandbox/netsuite-seed.js';

// The in-memory SuiteScript modules refuse what NetSuite refuses, so a RESTlet that drifts fails a test.

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return String((e as { name?: unknown }).name);
  }
  return 'no error';
};

describe('in-memory N/record (message)', () => {
  let store: RecordStore;
  let record: ReturnType<typeof recordModule>;
  const draft = () => {
    const m = record.create({ type: 'message' });
    m.setValue({ fieldId: 'authoremail', value: 'ana@fabrikam.com' });
    m.setValue({ fieldId: 'entity', value: '101' });
    return m;
  };

  beforeEach(() => {
    store = new RecordStore([...netsuiteSeed(), ...suiteAppSeed()]);
    record = recordModule(store, new Governance());
  });

  it('saves a message with the Records Browser fields', () => {
    const m = draft();
    m.setValue({ fieldId: 'subject', value: 'Hello' });
    const id = m.save();
    expect(store.get('message', String(id))?.fields).toMatchObject({ subject: 'Hello', entity: '101' });
  });

  it('refuses fields the Records Browser does not list (REST names too) and wrong value types', () => {
    expect(codeOf(() => draft().setValue({ fieldId: 'incoming', value: true }))).toBe('SSS_INVALID_FIELD_ID');
    expect(codeOf(() => draft().setValue({ fieldId: 'authorEmail', value: 'a@b.c' }))).toBe('SSS_INVALID_FIELD_ID');
    expect(codeOf(() => draft().setValue({ fieldId: 'messagedate', value: '2026-01-01' }))).toBe('INVALID_FLD_VALUE');
    expect(codeOf(() => draft().setValue({ fieldId: 'emailed', value: 'F' }))).toBe('INVALID_FLD_VALUE');
  });

  it('refuses, at save, an over-long subject, a missing record, both activity and transaction, no link', () => {
    const long = draft();
    long.setValue({ fieldId: 'subject', value: 'x'.repeat(200) });
    expect(codeOf(() => long.save())).toBe('INVALID_FLD_VALUE');
    const missing = draft();
    missing.setValue({ fieldId: 'entity', value: '999' });
    expect(codeOf(() => missing.save())).toBe('INVALID_KEY_OR_REF');
    const both = draft();
    both.setValue({ fieldId: 'activity', value: '501' });
    both.setValue({ fieldId: 'transaction', value: '601' });
    expect(codeOf(() => both.save())).toBe('INVALID_FLD_VALUE');
    const unlinked = record.create({ type: 'message' });
    unlinked.setValue({ fieldId: 'authoremail', value: 'ana@fabrikam.com' });
    expect(codeOf(() => unlinked.save())).toBe('USER_ERROR');
    const noFile = draft();
    noFile.setSublistValue({ sublistId: 'mediaitem', fieldId: 'mediaitem', line: 0, value: '424242' });
    expect(codeOf(() => noFile.save())).toBe('INVALID_KEY_OR_REF');
    expect(store.all('message')).toEqual([]);
  });

  it('never changes a saved message, and loads only records that exist', () => {
    const id = draft().save();
    const loaded = record.load({ type: 'message', id });
    expect(codeOf(() => loaded.setValue({ fieldId: 'subject', value: 'changed' }))).toBe('INSUFFICIENT_PERMISSION');
    expect(codeOf(() => loaded.save())).toBe('INSUFFICIENT_PERMISSION');
    expect(codeOf(() => record.load({ type: 'message', id: 424242 }))).toBe('RCRD_DSNT_EXIST');
    expect(codeOf(() => record.create({ type: 'customer' }))).toBe('INVALID_RCRD_TYPE');
  });

  it('adds sublist lines only at the end', () => {
    expect(
      codeOf(() => draft().setSublistValue({ sublistId: 'mediaitem', fieldId: 'mediaitem', line: 1, value: '902' })),
    ).toBe('SSS_INVALID_SUBLIST_OPERATION');
  });
});

describe('in-memory N/file, N/search and N/query', () => {
  let store: RecordStore;
  beforeEach(() => {
    store = new RecordStore([...netsuiteSeed(), ...suiteAppSeed()]);
  });

  it('holds at most 10 MB, needs a folder that exists, and loads by path', () => {
    const file = fileModule(store, new Governance());
    const big = Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64');
    expect(codeOf(() => file.create({ name: 'a.bin', fileType: 'MISCBINARY' as never, contents: big }))).toBe(
      'SSS_FILE_CONTENT_SIZE_EXCEEDED',
    );
    expect(codeOf(() => file.create({ name: 'a.pdf', fileType: 'PDF' as never, contents: 'not base64!' }))).toBe(
      'INVALID_FILE_ENCODING',
    );
    expect(codeOf(() => file.create({ name: 'a.pdf', fileType: 'PDF' as never }).save())).toBe(
      'SSS_MISSING_REQD_ARGUMENT',
    );
    expect(codeOf(() => file.create({ name: 'a.pdf', fileType: 'PDF' as never, folder: 77 }).save())).toBe(
      'INVALID_KEY_OR_REF',
    );
    expect(file.load({ id: 'SuiteScripts/Mailroom/Attachments/README.txt' }).folder).toBe(
      Number(ATTACHMENTS_FOLDER_ID),
    );
    expect(codeOf(() => file.load({ id: 'SuiteScripts/Nope/README.txt' }))).toBe('RCRD_DSNT_EXIST');
  });

  it('finds a file by folder and name, and refuses filters it does not know', () => {
    const search = searchModule(store, new Governance());
    const hits = search
      .create({
        type: 'file',
        filters: [['folder', 'anyof', ATTACHMENTS_FOLDER_ID], 'AND', ['name', 'is', 'README.txt']],
      })
      .run()
      .getRange({ start: 0, end: 5 });
    expect(hits.map((h) => h.id)).toEqual(['902']);
    expect(codeOf(() => search.create({ type: 'file', filters: [['size', 'greaterthan', '1']] }))).toBe(
      'SSS_INVALID_SRCH_FILTER',
    );
  });

  it('binds ? params as literals, so a quote in a value cannot change the query', () => {
    const query = queryModule(store, new Governance());
    const rows = query.runSuiteQL({ query: 'SELECT id FROM customer WHERE id = ?', params: ['101'] });
    expect(rows.asMappedResults()).toEqual([{ id: '101' }]);
    const sneaky = query.runSuiteQL({ query: 'SELECT id FROM customer WHERE id = ?', params: ["x' OR '1'='1"] });
    expect(sneaky.asMappedResults()).toEqual([]);
    expect(codeOf(() => query.runSuiteQL({ query: 'SELECT id FROM customer WHERE id = ?', params: [] }))).toBe(
      'SSS_INVALID_QUERY_PARAMS',
    );
  });
});

describe('SuiteScript governance in the emulator', () => {
  it('spends units per call and refuses the call that would go past the limit', () => {
    const store = new RecordStore([...netsuiteSeed(), ...suiteAppSeed()]);
    const governance = new Governance(25);
    const query = queryModule(store, governance);
    const run = () => query.runSuiteQL({ query: 'SELECT id FROM customer WHERE id = ?', params: ['101'] });
    run();
    run();
    expect(governance.remaining()).toBe(5);
    expect(codeOf(run)).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    governance.reset();
    expect(codeOf(run)).toBe('no error');
  });
});
