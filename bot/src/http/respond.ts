import type { ServerResponse } from 'node:http';

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

/** Mailroom's one error shape on the wire: `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  refusals.set(res, { code, message });
  sendJson(res, status, { error: { code, message } });
}

/** A refusal whose handler has already written its own structured line, so the server writes none. */
export function markRefusalLogged(res: ServerResponse): void {
  refusals.set(res, { code: '', message: '', logged: true });
}

export function refusalOf(res: ServerResponse): { code: string; message: string; logged?: boolean } | undefined {
  return refusals.get(res);
}
