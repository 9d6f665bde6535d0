import type { z } from 'zod';
import { ERROR_CATALOGUE } from '../core/error-catalogue.js';
import { personWords } from '../core/error-words.js';
import { MailroomError, toMailroomError } from '../core/errors.js';
import type { TabIdentity } from './identity.js';

export interface TabRequest {
  identity: TabIdentity;
  query: Record<string, unknown>;
  params: Record<string, string>;
  body: unknown;
}

export interface TabResponse {
  status: number;
  body: unknown;
  /** For a 500: the error behind it, which the server logs (never sent). */
  cause?: unknown;
}

/** A transport-free route: bot/src/http/tab-routes.ts mounts it after the SSO verifier has produced `identity`. */
export interface TabRoute {
  method: 'GET' | 'POST';
  /** With `:name` segments, e.g. /api/tab/rules/:id/off */
  path: string;
  handler: (ctx: TabRequest) => Promise<TabResponse>;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Turns a thrown error into the JSON answer, its status and words from the error catalogue: a service's own status
 * or answer (NetSuite's 401, say) never passes for the tab's, and unknown failures become a 500 without internals.
 */
export function errorResponse(err: unknown): TabResponse {
  const e = toMailroomError(err);
  const status = ERROR_CATALOGUE[e.code].status;
  const body: ErrorBody = { error: { code: e.code, message: personWords(e) } };
  return status >= 500 ? { status, body, cause: err } : { status, body };
}

export function notFound(what: string): MailroomError {
  return new MailroomError('not_found', `${what} was not found.`);
}

/** Parses query or body with zod; a failure is a 400 that names the field. */
export function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  throw new MailroomError('bad_request', `Invalid request: ${message}`);
}

/** Wraps a handler so every failure leaves as `{ error: { code, message } }`. */
export function guarded(handler: TabRoute['handler']): TabRoute['handler'] {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
