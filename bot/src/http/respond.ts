import type { Response } from 'restify';

/** Why a response was refused, for the one log line the server writes after it ("request refused"). */
const refusals = new WeakMap<object, { code: string; message: string; logged?: boolean }>();

/** Mailroom's one error shape on the wire: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  refusals.set(res, { code, message });
  res.json(status, { error: { code, message } });
}

/** A refusal whose handler has already written its own structured line, so the server writes none. */
export function markRefusalLogged(res: Response): void {
  refusals.set(res, { code: '', message: '', logged: true });
}

export function refusalOf(res: Response): { code: string; message: string; logged?: boolean } | undefined {
  return refusals.get(res);
}
