import type * as NFile from '@hitc/netsuite-types/N/file.js';
import type { RecordStore, StoredRecord } from '../store.js';
import { suiteError } from './error.js';
import { type Governance, UNITS } from './governance.js';

/** N/file: "Content held in memory is limited to 10MB" (file.create, O:section_4223861820). */
export const FILE_CONTENT_MAX_BYTES = 10 * 1024 * 1024;

/** file.Type values the emulator knows; binary ones take base64 contents. */
const TYPES = ['PDF', 'PNGIMAGE', 'JPGIMAGE', 'GIFIMAGE', 'ZIP', 'EXCEL', 'WORD', 'MISCBINARY', 'PLAINTEXT', 'CSV'];
const TEXT_TYPES = new Set(['PLAINTEXT', 'CSV']);
const CREATE_OPTIONS = ['name', 'fileType', 'contents', 'description', 'folder', 'encoding', 'isInactive', 'isOnline'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class FakeFile {
  id: number | null;
  folder: number;
  description: string;

  constructor(
    private readonly store: RecordStore,
    private readonly governance: Governance,
    readonly name: string,
    readonly fileType: string,
    readonly size: number,
    opts: { id?: number; folder?: number; description?: string },
  ) {
    this.id = opts.id ?? null;
    this.folder = opts.folder ?? Number.NaN;
    this.description = opts.description ?? '';
  }

  save(): number {
    this.governance.use(UNITS.fileSave);
    if (!Number.isInteger(this.folder)) {
      throw suiteError('SSS_MISSING_REQD_ARGUMENT', 'Set File.folder before File.save(): a folder is required.');
    }
    if (!this.store.get('folder', String(this.folder))) {
      throw suiteError('INVALID_KEY_OR_REF', `Invalid folder reference key ${this.folder}.`);
    }
    for (const [suffix, left] of this.store.fileSaveFaults) {
      if (left <= 0 || !this.name.endsWith(suffix)) continue;
      if (left === 1) this.store.fileSaveFaults.delete(suffix);
      else this.store.fileSaveFaults.set(suffix, left - 1);
      throw suiteError('UNEXPECTED_ERROR', 'An unexpected SuiteScript error has occurred.');
    }
    const fields = {
      name: this.name,
      folder: String(this.folder),
      filetype: this.fileType,
      filesize: this.size,
      description: this.description,
    };
    // A file saved under a name its folder already holds replaces that file and keeps its id.
    const same = this.store.all('file').find((f) => f.fields.folder === fields.folder && f.fields.name === this.name);
    const rec: StoredRecord = same ? { ...same, fields } : this.store.create('file', fields);
    if (same) this.store.put(rec);
    this.id = Number(rec.id);
    return this.id;
  }
}

function byPath(store: RecordStore, path: string): StoredRecord | undefined {
  const parts = path.replace(/^\/+/, '').split('/');
  const name = parts.pop();
  let parent: string | undefined;
  for (const folderName of parts) {
    const folder = store
      .all('folder')
      .find((f) => f.fields.name === folderName && (f.fields.parent as string | undefined) === parent);
    if (!folder) return undefined;
    parent = folder.id;
  }
  return store.all('file').find((f) => f.fields.name === name && f.fields.folder === parent);
}

/** The in-memory N/file over the emulator's File Cabinet: create, save and load (by id or path). */
export function fileModule(store: RecordStore, governance: Governance) {
  const create = (options: NFile.FileCreateOptions) => {
    for (const k of Object.keys(options)) {
      if (!CREATE_OPTIONS.includes(k)) throw suiteError('SSS_INVALID_ARG', `file.create has no option ${k}.`);
    }
    if (!options.name) throw suiteError('SSS_MISSING_REQD_ARGUMENT', 'file.create: missing a required argument: name');
    const type = String(options.fileType);
    if (!TYPES.includes(type)) throw suiteError('SSS_INVALID_TYPE_ARG', `Invalid file type ${type}.`);
    const contents = options.contents ?? '';
    let size: number;
    if (TEXT_TYPES.has(type)) {
      size = Buffer.byteLength(contents, 'utf8');
    } else {
      if (contents.length % 4 !== 0 || !BASE64.test(contents)) {
        throw suiteError('INVALID_FILE_ENCODING', 'Binary file contents must be base64 encoded.');
      }
      size = Buffer.from(contents, 'base64').length;
    }
    if (size > FILE_CONTENT_MAX_BYTES) {
      throw suiteError(
        'SSS_FILE_CONTENT_SIZE_EXCEEDED',
        'The file content you are attempting to access exceeds the maximum allowed size of 10 MB.',
      );
    }
    return new FakeFile(store, governance, options.name, type, size, {
      ...(options.folder === undefined ? {} : { folder: options.folder }),
      ...(options.description === undefined ? {} : { description: options.description }),
    });
  };
  const load = (options: NFile.FileLoadOptions | number | string) => {
    governance.use(UNITS.fileLoad);
    const key = typeof options === 'object' ? options.id : options;
    const rec = /^\d+$/.test(String(key)) ? store.get('file', String(key)) : byPath(store, String(key));
    if (!rec) throw suiteError('RCRD_DSNT_EXIST', `That record does not exist. path: ${String(key)}`);
    const f = rec.fields as { name: string; filetype: string; filesize: number; folder: string; description?: string };
    return new FakeFile(store, governance, f.name, f.filetype, f.filesize, {
      id: Number(rec.id),
      folder: Number(f.folder),
      ...(f.description === undefined ? {} : { description: f.description }),
    });
  };
  const module = {
    Type: Object.fromEntries(TYPES.map((t) => [t, t])) as unknown as typeof NFile.Type,
    create: create as unknown as typeof NFile.create,
    load: load as unknown as typeof NFile.load,
  };
  return module as Pick<typeof NFile, 'Type' | 'create' | 'load'>;
}
