import type { Route } from './context.js';
import { graphError, match, sendJson } from './http.js';
import { findMessage } from './ids.js';
import { messageJson, selectFields } from './message-json.js';
import { mailboxUser } from './routes-users.js';
import { touch } from './store.js';

const NOT_FOUND = 'The specified object was not found in the store.';

/** GET and PATCH a message, and list its attachments. https://learn.microsoft.com/graph/api/message-get */
export const messagesRoute: Route = (req, res, ctx) => {
  const one = match('/v1.0/users/:user/messages/:id', req.path);
  const atts = match('/v1.0/users/:user/messages/:id/attachments', req.path);
  const m = one ?? atts;
  if (!m) return false;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  const msg = findMessage(ctx.state, user.id, m.id ?? '');
  if (!msg) {
    graphError(res, req, 404, 'ErrorItemNotFound', NOT_FOUND);
    return true;
  }
  const context = `${ctx.url()}/v1.0/$metadata#users('${user.id}')/messages`;
  if (atts && req.method === 'GET') {
    const value = msg.attachments.map((a) => ({
      '@odata.type': '#microsoft.graph.fileAttachment',
      '@odata.mediaContentType': a.contentType,
      id: a.id,
      lastModifiedDateTime: msg.receivedDateTime,
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      isInline: false,
      contentId: null,
      contentLocation: null,
      contentBytes: a.contentBytes,
    }));
    sendJson(res, 200, { '@odata.context': `${context}('${m.id}')/attachments`, value });
    return true;
  }
  if (one && req.method === 'GET') {
    const body = selectFields(messageJson(msg, req.immutable), req.query.get('$select'));
    sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...body });
    return true;
  }
  if (one && req.method === 'PATCH') {
    const patch = req.json<{ categories?: unknown }>();
    if (!patch || (patch.categories !== undefined && !Array.isArray(patch.categories))) {
      graphError(res, req, 400, 'ErrorInvalidRequest', 'The request body is not a valid message update.');
      return true;
    }
    if (Array.isArray(patch.categories)) msg.categories = patch.categories.map(String);
    touch(ctx.state, msg);
    sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...messageJson(msg, req.immutable) });
    return true;
  }
  return false;
};
