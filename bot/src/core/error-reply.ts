import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';
import { personWords } from './error-words.js';
import { toMailroomError } from './errors.js';

/** Mailroom's one error answer over HTTP: the catalogue's status, and `{ error: { code, message } }`. */
export interface ErrorReply {
  status: number;
  body: { error: { code: ErrorCode; message: string } };
}

/**
 * The answer for an error, its status and words from the catalogue: a service's own status or answer never passes
 * for Mailroom's, and an uncoded failure is `internal`, a 500 without its internals.
 */
export function errorReply(err: unknown): ErrorReply {
  const e = toMailroomError(err);
  return { status: ERROR_CATALOGUE[e.code].status, body: { error: { code: e.code, message: personWords(e) } } };
}
