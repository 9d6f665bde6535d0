import { MailroomError } from '../core/errors.js';

/**
 * NetSuite's REST error body:
 * `{type, title, status, "o:errorDetails":[{detail, "o:errorCode"}]}`.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545222128.html (REST error handling)
 */
export interface NetSuiteErrorBody {
  type?: string;
  title?: string;
  status?: number;
  'o:errorDetails'?: Array<{ detail?: string; 'o:errorCode'?: string }>;
}

export function parseErrorBody(text: string): NetSuiteErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return {};
    // A RESTlet answers an uncaught SuiteScript error with 400 {"error":{"code","message"}} (O:section_4634920277).
    const restlet = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
    if (restlet && typeof restlet === 'object' && typeof restlet.code === 'string') {
      const detail = String(restlet.message ?? '');
      return { title: detail, 'o:errorDetails': [{ detail, 'o:errorCode': restlet.code }] };
    }
    return parsed as NetSuiteErrorBody;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep a little of it as the title so the log says something.
    return { title: text.slice(0, 200) };
  }
}

const PERMISSION_CODES = new Set(['INSUFFICIENT_PERMISSION', 'USER_ERROR_PERMISSION', 'NO_PERMISSION']);

/** One place that turns a NetSuite answer into a coded error with words an admin can act on. */
export function mapNetSuiteError(
  status: number,
  body: NetSuiteErrorBody,
  opts: { retryAfter?: number; what: string },
): MailroomError {
  const detail = body['o:errorDetails']?.[0];
  const code = detail?.['o:errorCode'] ?? '';
  const text = detail?.detail ?? body.title ?? `HTTP ${status}`;
  const message = `NetSuite ${opts.what} failed (${status}${code ? ` ${code}` : ''}): ${text}`;
  const base = { status, ...(opts.retryAfter === undefined ? {} : { retryAfterSeconds: opts.retryAfter }) };

  const suiteApp = suiteAppError(code, message, base);
  if (suiteApp) return suiteApp;
  if (status === 429 || code === 'CONCURRENCY_LIMIT_EXCEEDED') {
    return new MailroomError('netsuite_concurrency_limit', message, {
      ...base,
      remedy:
        'NetSuite is busy with other integrations on this account. Mailroom retries on its own; if this persists, lower NETSUITE_CONCURRENCY or add SuiteCloud Plus licenses.',
    });
  }
  if (status === 401) {
    return new MailroomError('netsuite_auth_failed', message, {
      ...base,
      remedy:
        'NetSuite rejected Mailroom’s login. Check the integration record and its certificate (M2M) or token (TBA), the role’s “REST Web Services” and “Log in using OAuth 2.0 Access Tokens” permissions, and NETSUITE_ACCOUNT_ID. The Login Audit Trail (Setup > Users/Roles > View Login Audit Trail) shows why.',
    });
  }
  if (status === 403 || PERMISSION_CODES.has(code)) {
    return new MailroomError('netsuite_permission', message, {
      ...base,
      remedy:
        'Mailroom’s NetSuite role lacks a permission. Give the role access to Messages, Customers, Contacts, Cases, Transactions, Documents and Files, and SuiteAnalytics Workbook (for SuiteQL).',
    });
  }
  if (status === 404) {
    return new MailroomError('netsuite_not_found', message, {
      ...base,
      remedy: 'The NetSuite record no longer exists or Mailroom’s role cannot see it. Pick another record.',
    });
  }
  if (status >= 500) {
    return new MailroomError('netsuite_unavailable', message, {
      ...base,
      remedy: 'NetSuite is not answering right now. Mailroom retries on its own; nothing is lost.',
    });
  }
  if (status === 400 || status === 422 || status === 409) {
    return new MailroomError('netsuite_validation', message, {
      ...base,
      detail: text,
      remedy: `NetSuite refused the data: ${text}. Check that the record accepts messages and that required fields are set.`,
    });
  }
  return new MailroomError('netsuite_error', message, {
    ...base,
    remedy:
      'NetSuite answered unexpectedly. Try again; if it repeats, send the log line with this request id to support.',
  });
}

/** The save RESTlet's own refusals (suiteapp/ts), and NetSuite's answer when the script is not deployed. */
function suiteAppError(
  code: string,
  message: string,
  base: { status: number; retryAfterSeconds?: number },
): MailroomError | null {
  switch (code) {
    case 'MAILROOM_RECORD_NOT_FOUND':
      return new MailroomError('netsuite_not_found', message, {
        ...base,
        remedy: 'The NetSuite record no longer exists or Mailroom’s role cannot see it. Pick another record.',
      });
    case 'SSS_INVALID_SCRIPTLET_ID':
    case 'MAILROOM_NO_FOLDER':
      return new MailroomError('netsuite_not_configured', message, {
        ...base,
        remedy:
          'The Mailroom SuiteApp is not deployed in this NetSuite account (or NETSUITE_RESTLET_SCRIPT / NETSUITE_RESTLET_DEPLOY name another script). Deploy it as docs/admin.md says, then retry.',
      });
    case 'MAILROOM_BAD_REQUEST':
      return new MailroomError('netsuite_validation', message, {
        ...base,
        remedy:
          'The Mailroom SuiteApp in NetSuite is from another version of Mailroom: deploy this version’s suiteapp/, then retry.',
      });
    default:
      return null;
  }
}
