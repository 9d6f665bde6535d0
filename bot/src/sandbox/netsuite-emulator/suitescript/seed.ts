import type { SeedRecord } from '../../netsuite-seed.js';

/** The Mailroom SuiteApp's attachments folder's marker file, as `deploy.xml` puts it in the File Cabinet. */
export const ATTACHMENTS_FOLDER_ID = '901';

/**
 * What deploying the SuiteApp leaves in an account's File Cabinet: SuiteScripts (internal id -15, as in every
 * account), SuiteScripts/Mailroom, its Attachments folder, and the marker file the RESTlet finds that folder by.
 */
export function suiteAppSeed(): SeedRecord[] {
  return [
    { type: 'folder', id: '-15', fields: { name: 'SuiteScripts' } },
    { type: 'folder', id: '900', fields: { name: 'Mailroom', parent: '-15' } },
    { type: 'folder', id: ATTACHMENTS_FOLDER_ID, fields: { name: 'Attachments', parent: '900' } },
    {
      type: 'file',
      id: '902',
      fields: { name: 'README.txt', folder: ATTACHMENTS_FOLDER_ID, filetype: 'PLAINTEXT', filesize: 200 },
    },
  ];
}
