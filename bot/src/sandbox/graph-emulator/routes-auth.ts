import { randomBytes, randomUUID } from 'node:crypto';
import type { Route } from './context.js';
import { match, sendJson } from './http.js';

const TOKEN_LIFETIME_S = 3599;

function aadError(error: string, code: number, description: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

/**
 * The Entra ID v2 token endpoint, client-credentials grant only.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export const tokenRoute: Route = (req, res, ctx) => {
  const m = match('/:tenant/oauth2/v2.0/token', req.path);
  if (!m || req.method !== 'POST') return false;
  const form = new URLSearchParams(req.body);
  if (m.tenant !== ctx.state.tenantId) {
    sendJson(res, 400, aadError('invalid_request', 90002, `Tenant '${m.tenant}' not found.`));
  } else if (form.get('grant_type') !== 'client_credentials') {
    sendJson(res, 400, aadError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'));
  } else if (form.get('client_id') !== ctx.clientId) {
    sendJson(
      res,
      400,
      aadError('unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found.`),
    );
  } else if (form.get('client_secret') !== ctx.clientSecret) {
    sendJson(res, 401, aadError('invalid_client', 7000215, 'Invalid client secret provided.'));
  } else if (form.get('scope') !== 'https://graph.microsoft.com/.default') {
    sendJson(res, 400, aadError('invalid_scope', 1002012, 'The provided value for scope is not valid.'));
  } else {
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${randomBytes(24).toString('base64url')}.`;
    // An app-only token carries the app's granted application permissions in its `roles` claim.
    ctx.state.tokens.set(token, {
      expiresAt: ctx.now().getTime() + TOKEN_LIFETIME_S * 1000,
      roles: [...ctx.permissions],
    });
    ctx.state.tokensIssued += 1;
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: token,
    });
  }
  return true;
};
