import type { ServerResponse } from 'node:http';

const TYPES: Record<number, string> = {
  400: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
  401: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  403: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.4',
  404: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5',
  429: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
  500: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
  503: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** NetSuite's REST error shape: `{type, title, status, "o:errorDetails":[{detail, "o:errorCode"}]}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const body = {
    type: TYPES[status] ?? 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    'o:errorDetails': [{ detail, 'o:errorCode': code }],
  };
  res.writeHead(status, { 'content-type': 'application/vnd.oracle.resource+json; type=error', ...headers });
  res.end(JSON.stringify(body));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/vnd.oracle.resource+json; type=collection' });
  res.end(JSON.stringify(body));
}

export const INVALID_LOGIN =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';
