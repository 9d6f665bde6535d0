import type * as NRecord from '@hitc/netsuite-types/N/record.js';
import type { RecordStore } from '../store.js';
import { suiteError } from './error.js';
import { type Governance, UNITS } from './governance.js';

/**
 * The in-memory N/record, for the `message` record only (the one the save RESTlet writes). It refuses what the
 * SuiteScript Records Browser does not list, values longer than the field holds, references to records that do
 * not exist, and any change to a message's fields or lines after it is saved, as NetSuite does; a file goes onto a
 * saved message through record.attach.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3191112.html (message in SuiteScript)
 */
type Field =
  | { kind: 'text'; max: number }
  | { kind: 'select'; types: string[] }
  | { kind: 'date' }
  | { kind: 'checkbox' };

const ENTITY_TYPES = ['customer', 'contact', 'vendor', 'partner', 'employee'];

/** The message fields of the Records Browser; lengths from the SuiteAnalytics Connect browser's message table. */
export const MESSAGE_FIELDS: Record<string, Field> = {
  subject: { kind: 'text', max: 199 },
  message: { kind: 'text', max: 65_534 },
  author: { kind: 'select', types: ENTITY_TYPES },
  authoremail: { kind: 'text', max: 254 },
  recipient: { kind: 'select', types: ENTITY_TYPES },
  recipientemail: { kind: 'text', max: 254 },
  cc: { kind: 'text', max: 999 },
  bcc: { kind: 'text', max: 999 },
  messagedate: { kind: 'date' },
  emailed: { kind: 'checkbox' },
  entity: { kind: 'select', types: ENTITY_TYPES },
  activity: { kind: 'select', types: ['supportCase', 'task', 'phoneCall', 'calendarEvent'] },
  transaction: { kind: 'select', types: ['transaction'] },
  externalid: { kind: 'text', max: 255 },
};

/** Sublists of `message` and their fields: `mediaitem` holds File Cabinet files. */
const MESSAGE_SUBLISTS: Record<string, Record<string, Field>> = {
  mediaitem: { mediaitem: { kind: 'select', types: ['file'] } },
};

type Value = string | boolean | Date;

/** The script runs in its own realm (node:vm), so its Dates are not this realm's `Date`. */
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

class MessageRecord {
  private readonly values = new Map<string, Value>();
  private readonly lines: Array<Map<string, string>> = [];
  private saved = false;

  constructor(
    private readonly store: RecordStore,
    private readonly governance: Governance,
    readonly id: number | null,
  ) {}

  static loaded(store: RecordStore, governance: Governance, id: string): MessageRecord {
    governance.use(UNITS.recordLoad);
    const stored = store.get('message', id);
    if (!stored) throw suiteError('RCRD_DSNT_EXIST', 'That record does not exist.');
    const rec = new MessageRecord(store, governance, Number(id));
    for (const [k, v] of Object.entries(stored.fields)) {
      if (typeof v === 'string' || typeof v === 'boolean')
        rec.values.set(k, k === 'messagedate' ? new Date(v as string) : v);
    }
    for (const fileId of store.attachments.get(id) ?? []) rec.lines.push(new Map([['mediaitem', fileId]]));
    rec.saved = true;
    return rec;
  }

  setValue(options: NRecord.SetValueOptions): this {
    this.editable();
    const field = MESSAGE_FIELDS[options.fieldId];
    if (!field) throw unknownField(options.fieldId);
    this.values.set(options.fieldId, checkValue(options.fieldId, field, options.value));
    return this;
  }

  getValue(options: NRecord.GetFieldOptions): Value | undefined {
    if (!MESSAGE_FIELDS[options.fieldId]) throw unknownField(options.fieldId);
    return this.values.get(options.fieldId);
  }

  setSublistValue(options: { sublistId: string; fieldId: string; line: number; value: unknown }): this {
    this.editable();
    const field = MESSAGE_SUBLISTS[options.sublistId]?.[options.fieldId];
    if (!field) throw unknownField(`${options.sublistId}.${options.fieldId}`);
    if (!Number.isInteger(options.line) || options.line < 0 || options.line > this.lines.length) {
      throw suiteError(
        'SSS_INVALID_SUBLIST_OPERATION',
        'You have attempted an invalid sublist or line item operation.',
      );
    }
    const line = this.lines[options.line] ?? new Map<string, string>();
    line.set(options.fieldId, String(checkValue(options.fieldId, field, options.value)));
    this.lines[options.line] = line;
    return this;
  }

  getLineCount(options: { sublistId: string }): number {
    if (!MESSAGE_SUBLISTS[options.sublistId]) throw unknownField(options.sublistId);
    return this.lines.length;
  }

  getSublistValue(options: { sublistId: string; fieldId: string; line: number }): string {
    if (!MESSAGE_SUBLISTS[options.sublistId]?.[options.fieldId]) throw unknownField(options.fieldId);
    const v = this.lines[options.line]?.get(options.fieldId);
    if (v === undefined) throw suiteError('SSS_INVALID_SUBLIST_OPERATION', 'The line does not exist.');
    return v;
  }

  save(): number {
    this.editable();
    this.governance.use(UNITS.recordSave);
    this.validate();
    const fields: Record<string, unknown> = {};
    for (const [k, v] of this.values) fields[k] = isDate(v) ? v.toISOString() : v;
    const rec = this.store.create('message', fields);
    this.store.attachments.set(
      rec.id,
      this.lines.map((l) => l.get('mediaitem') ?? ''),
    );
    this.saved = true;
    return Number(rec.id);
  }

  private editable(): void {
    if (this.saved) {
      throw suiteError('INSUFFICIENT_PERMISSION', 'A message can’t be changed after it is saved; copy or delete it.');
    }
  }

  private validate(): void {
    for (const [id, field] of Object.entries(MESSAGE_FIELDS)) {
      const v = this.values.get(id);
      if (field.kind === 'text' && typeof v === 'string' && v.length > field.max) {
        throw suiteError(
          'INVALID_FLD_VALUE',
          `The field ${id} contained more than the maximum number ( ${field.max} ) of characters allowed.`,
        );
      }
      if (field.kind === 'select' && typeof v === 'string' && !this.exists(field.types, v)) {
        throw suiteError('INVALID_KEY_OR_REF', `Invalid ${id} reference key ${v}.`);
      }
    }
    for (const line of this.lines) {
      const fileId = line.get('mediaitem');
      if (fileId === undefined || !this.store.get('file', fileId)) {
        throw suiteError('INVALID_KEY_OR_REF', `Invalid mediaitem reference key ${fileId ?? ''}.`);
      }
    }
    if (!this.values.get('author') && !this.values.get('authoremail')) {
      throw suiteError('USER_ERROR', 'Please enter value(s) for: From');
    }
    const links = ['entity', 'activity', 'transaction'].filter((f) => this.values.get(f));
    if (links.length === 0) throw suiteError('USER_ERROR', 'A message must be attached to a record.');
    // SOAP's message record: activity and transaction cannot both be set.
    if (this.values.get('activity') && this.values.get('transaction')) {
      throw suiteError('INVALID_FLD_VALUE', 'A message can be attached to an activity or a transaction, not both.');
    }
    const externalId = this.values.get('externalid');
    if (typeof externalId === 'string' && this.store.all('message').some((m) => m.fields.externalid === externalId)) {
      throw suiteError('DUP_RCRD', 'A record with this external ID already exists.');
    }
  }

  private exists(types: string[], id: string): boolean {
    return types.some((t) => this.store.get(t, id) !== undefined);
  }
}

function unknownField(id: string) {
  // NetSuite quietly drops a body field it does not know; the emulator refuses it, so a typo fails a test.
  return suiteError('SSS_INVALID_FIELD_ID', `message has no field ${id} in the SuiteScript Records Browser.`);
}

function checkValue(id: string, field: Field, value: unknown): Value {
  const bad = () => suiteError('INVALID_FLD_VALUE', `Invalid value for ${id}: ${String(value).slice(0, 40)}`);
  switch (field.kind) {
    case 'text':
      if (typeof value !== 'string') throw bad();
      return value;
    case 'select':
      if (typeof value === 'number' && Number.isInteger(value)) return String(value);
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw bad();
      return value;
    case 'date':
      if (!isDate(value) || Number.isNaN(value.getTime())) throw bad();
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw bad();
      return value;
  }
}

/** The in-memory N/record over the emulator's records: create and load of `message`. */
export function recordModule(store: RecordStore, governance: Governance) {
  const onlyMessages = (type: string) => {
    if (type !== 'message') {
      throw suiteError(
        'INVALID_RCRD_TYPE',
        `The record type ${type} is not emulated (the RESTlet writes messages only).`,
      );
    }
  };
  /**
   * record.attach (O:section_4267284169): "To attach a file from the File Cabinet to a record, set type to file".
   * Emulated for a file onto a message only; both must exist, and each call adds one attachment, so a script that
   * attaches a file twice shows it twice (the help does not say NetSuite merges them).
   */
  const attach = (options: { record?: { type?: unknown; id?: unknown }; to?: { type?: unknown; id?: unknown } }) => {
    const what = options?.record;
    const to = options?.to;
    if (!what?.type || what.id === undefined || !to?.type || to.id === undefined) {
      throw suiteError('SSS_MISSING_REQD_ARGUMENT', 'record.attach: missing a required argument: record or to');
    }
    if (String(what.type) !== 'file' || String(to.type) !== 'message') {
      throw suiteError(
        'INVALID_RCRD_TYPE',
        `Attaching a ${String(what.type)} to a ${String(to.type)} is not emulated (the RESTlet attaches files to messages).`,
      );
    }
    governance.use(UNITS.recordAttach);
    const fileId = String(what.id);
    const messageId = String(to.id);
    if (!store.get('file', fileId)) throw suiteError('RCRD_DSNT_EXIST', 'That record does not exist.');
    if (!store.get('message', messageId)) throw suiteError('RCRD_DSNT_EXIST', 'That record does not exist.');
    store.attachments.set(messageId, [...(store.attachments.get(messageId) ?? []), fileId]);
  };
  const module = {
    attach,
    Type: { MESSAGE: 'message', FILE: 'file', FOLDER: 'folder' } as unknown as typeof NRecord.Type,
    create: (options: NRecord.RecordCreateOptions) => {
      onlyMessages(String(options.type));
      governance.use(UNITS.recordCreate);
      return new MessageRecord(store, governance, null) as unknown as NRecord.Record;
    },
    load: (options: NRecord.CopyLoadOptions) => {
      onlyMessages(String(options.type));
      return MessageRecord.loaded(store, governance, String(options.id)) as unknown as NRecord.Record & { id: number };
    },
  };
  return module as unknown as Pick<typeof NRecord, 'Type' | 'create' | 'load' | 'attach'>;
}
