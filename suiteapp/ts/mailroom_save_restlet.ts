/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

// Keep the blank line above: tsc drops a JSDoc block that sits directly on the first import, and NetSuite refuses
// a script file without @NApiVersion and @NScriptType (scripts/build-suiteapp.ts checks the compiled file).
import type { EntryPoints } from 'N/types';
import type { SaveResponse } from './mailroom_request';
import { saveEmail } from './mailroom_save';

/** POST: save one email on one record. NetSuite answers an uncaught error with 400 {"error":{code,message}}. */
export const post: EntryPoints.RESTlet.post<unknown, SaveResponse> = (body) => saveEmail(body);
