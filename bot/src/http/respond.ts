import type { Response } from 'restify';

/** Mailroom's one error shape on the wire: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.json(status, { error: { code, message } });
}
