import type { z } from 'zod';
import { errorReply } from '../core/error-reply.js';
import { MailroomError } from '../core/errors.js';
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

/** A thrown error as the tab's answer (core/error-reply.ts); a 5xx keeps its cause for the server's log line. */
export function errorResponse(err: unknown): TabResponse {
  const { status, body } = errorReply(err);
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
