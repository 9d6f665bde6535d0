import type { z } from 'zod';
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

/** A transport-free route: the lead mounts it in restify after the SSO verifier has produced `identity`. */
export interface TabRoute {
  method: 'GET' | 'POST';
  /** restify-style, e.g. /api/tab/rules/:id/off */
  path: string;
  handler: (ctx: TabRequest) => Promise<TabResponse>;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

const STATUS: Partial<Record<string, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  rule_not_owner: 403,
  not_found: 404,
};

/** Turns a thrown error into the JSON answer; unknown failures become a 500 without internals. */
export function errorResponse(err: unknown): TabResponse {
  const e = toMailroomError(err);
  const status = e.status ?? STATUS[e.code] ?? 500;
  const message = status >= 500 && e.code === 'internal' ? 'Something went wrong; try again.' : e.message;
  const body: ErrorBody = { error: { code: e.code, message } };
  return status >= 500 ? { status, body, cause: err } : { status, body };
}

export function notFound(what: string): MailroomError {
  return new MailroomError('not_found', `${what} was not found.`, { status: 404 });
}

/** Parses query or body with zod; a failure is a 400 that names the field. */
export function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  throw new MailroomError('bad_request', `Invalid request: ${message}`, { status: 400 });
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
