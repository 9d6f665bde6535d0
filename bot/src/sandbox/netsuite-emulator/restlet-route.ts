import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESTLET_DEPLOY_ID, RESTLET_SCRIPT_ID } from '../../config.js';
import type { Restlet } from './suitescript/restlet.js';

export const RESTLET_PATH = '/app/site/hosting/restlet.nl';
/** "at most 10 MB per request or response" (RESTlet governance, O:section_4640094112). */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A RESTlet error body: `{"error":{"code","message"}}` (SuiteScript 2.x RESTlet Error Handling, O:section_4634920277). */
function sendRestletError(res: ServerResponse, status: number, code: string, message: string): undefined {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
  return undefined;
}

/**
 * `POST /app/site/hosting/restlet.nl?script=&deploy=`: the SuiteApp's save RESTlet, run from its compiled file on
 * the in-memory SuiteScript modules. Deployed as the SDF project deploys it: only those ids, only `post`.
 */
export function handleRestlet(
  restlet: Restlet | null,
  ctx: { req: IncomingMessage; res: ServerResponse; url: URL; body: string },
): undefined {
  const { req, res, url } = ctx;
  const script = url.searchParams.get('script');
  const deploy = url.searchParams.get('deploy');
  if (!restlet || script !== RESTLET_SCRIPT_ID || deploy !== RESTLET_DEPLOY_ID) {
    return sendRestletError(
      res,
      400,
      'SSS_INVALID_SCRIPTLET_ID',
      'That Suitelet is invalid, disabled, or no longer exists.',
    );
  }
  if (req.method !== 'POST' || !restlet.post) {
    return sendRestletError(res, 405, 'SSS_INVALID_HTTP_METHOD', `The RESTlet has no ${req.method ?? ''} entry point.`);
  }
  // The documented content types are case-sensitive; the save RESTlet takes JSON only.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  if (type !== 'application/json') {
    return sendRestletError(res, 415, 'INVALID_CONTENT_TYPE', 'Send Content-Type: application/json.');
  }
  if (Buffer.byteLength(ctx.body) > MAX_REQUEST_BYTES) {
    // The page gives the limit but not the status; 413 is the conservative reading.
    return sendRestletError(res, 413, 'SSS_REQUEST_LIMIT_EXCEEDED', 'The request is over the 10 MB RESTlet limit.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body);
  } catch {
    return sendRestletError(res, 400, 'SYNTAX_ERROR', 'The request body is not valid JSON.');
  }
  let answer: unknown;
  try {
    answer = restlet.post(parsed);
  } catch (err) {
    // Any uncaught error in a RESTlet answers 400 with its code.
    const e = err as { name?: unknown; message?: unknown };
    return sendRestletError(res, 400, String(e.name ?? 'UNEXPECTED_ERROR'), String(e.message ?? err));
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  return undefined;
}
