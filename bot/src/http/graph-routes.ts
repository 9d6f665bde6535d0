import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import { markRefusalLogged, sendError, sendStatus } from './respond.js';
import type { Handler, Router } from './router.js';

/** What one request stored, and what it dropped (by reason): logged as the request's one line. */
export interface IntakeResult {
  accepted: number;
  rejected: number;
  drops?: unknown;
}

export interface GraphIntake {
  /** Verifies and durably stores a batch of change notifications. Resolves once they are in the jobs table. */
  notifications: (body: unknown, log: Logger) => Promise<IntakeResult>;
  lifecycle: (body: unknown, log: Logger) => Promise<IntakeResult>;
}

/**
 * Graph's webhook endpoints. Both answer the validation handshake by echoing `validationToken` as text/plain
 * within 10 s, and acknowledge notifications with 202 as soon as they are stored: Graph wants an answer
 * within 3 s and throttles slow endpoints.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 */
export function graphRoutes(router: Router, body: (h: Handler) => Handler, intake: GraphIntake, log: Logger): void {
  const route = (path: string, handle: GraphIntake['notifications']) =>
    router.post(
      path,
      body(async (req, res) => {
        const token = req.query.validationToken;
        if (typeof token === 'string') {
          res.setHeader('content-type', 'text/plain; charset=utf-8');
          // The token is echoed as Graph sent it: never let a browser sniff it into HTML.
          res.setHeader('x-content-type-options', 'nosniff');
          res.statusCode = 200;
          res.end(token);
          return;
        }
        const payload = req.body as unknown;
        if (typeof payload !== 'object' || payload === null || !Array.isArray((payload as { value?: unknown }).value)) {
          const refusal = new MailroomError(
            'bad_request',
            'Expected a Graph notification collection: {"value": [ … ]}.',
          );
          return sendError(res, refusal);
        }
        const reqLog = log.child({ route: path, requestId: req.id });
        try {
          const r = await handle(payload, reqLog);
          // One line per request, whatever it held: a warning when something was dropped, with counts by reason.
          if (r.rejected > 0) reqLog.warn(r, 'graph notifications stored, some dropped');
          else reqLog.info(r, 'graph notifications stored');
          sendStatus(res, 202);
        } catch (err) {
          // Not stored: answering 5xx makes Graph deliver the batch again, so nothing is lost.
          reqLog.error({ err }, 'could not store graph notifications');
          sendError(res, new MailroomError('unavailable', 'Could not store the notifications; Graph will retry.'));
          markRefusalLogged(res);
        }
      }),
    );
  route('/api/graph/notifications', intake.notifications);
  route('/api/graph/lifecycle', intake.lifecycle);
}
