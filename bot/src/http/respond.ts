import type { ServerResponse } from 'node:http';
import { errorReply } from '../core/error-reply.js';
import { toMailroomError } from '../core/errors.js';

/** Why a response was refused, for the one log line the server writes after it ("request refused"). */
const refusals = new WeakMap<object, { code: string; message: string; logged?: boolean }>();

/** A JSON answer: `body` serialized, with its length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** A status with no body (202 for stored notifications, 302 with its Location). */
export function sendStatus(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.setHeader('content-length', 0);
  res.end();
}

/**
 * Answers with an error in Mailroom's one shape, its status and words from the error catalogue
 * (core/error-reply.ts). The server's log line for the refusal gets the code and the error's own message.
 */
export function sendError(res: ServerResponse, err: unknown): void {
  const e = toMailroomError(err);
  const { status, body } = errorReply(e);
  noteRefusal(res, e.code, e.message);
  sendJson(res, status, body);
}

/** Why an error answer built elsewhere (a tab route's `{error:{code,message}}`) was refused, for that log line. */
export function noteRefusal(res: ServerResponse, code: string, message: string): void {
  refusals.set(res, { code, message });
}

/** A refusal whose handler has already written its own structured line, so the server writes none. */
export function markRefusalLogged(res: ServerResponse): void {
  refusals.set(res, { code: '', message: '', logged: true });
}

export function refusalOf(res: ServerResponse): { code: string; message: string; logged?: boolean } | undefined {
  return refusals.get(res);
}
