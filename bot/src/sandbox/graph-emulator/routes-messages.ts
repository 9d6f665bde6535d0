import type { Route } from './context.js';
import { graphError, match, sendJson } from './http.js';
import { findMessage } from './ids.js';
import { messageJson, selectFields } from './message-json.js';
import { ACCEPTS, permitted } from './permissions.js';
import { bodyAccepted, MESSAGE, queryAccepted } from './query-options.js';
import { MAX_CATEGORY_NAME, mailboxUser } from './routes-users.js';
import { touch } from './store.js';

const NOT_FOUND = 'The specified object was not found in the store.';

/** https://learn.microsoft.com/graph/api/message-update#request-body */
const UPDATABLE = [
  'bccRecipients',
  'body',
  'categories',
  'ccRecipients',
  'flag',
  'from',
  'importance',
  'inferenceClassification',
  'internetMessageId',
  'isDeliveryReceiptRequested',
  'isRead',
  'isReadReceiptRequested',
  'replyTo',
  'sender',
  'subject',
  'toRecipients',
];

/**
 * GET and PATCH a message, and list its attachments. Reading needs Mail.ReadBasic.All or more (attachments:
 * Mail.Read or more); PATCH needs Mail.ReadWrite. https://learn.microsoft.com/graph/api/message-get
 */
export const messagesRoute: Route = (req, res, ctx) => {
  const one = match('/v1.0/users/:user/messages/:id', req.path);
  const atts = match('/v1.0/users/:user/messages/:id/attachments', req.path);
  const m = one ?? atts;
  if (!m) return false;
  const patch = one !== null && req.method === 'PATCH';
  if (req.method !== 'GET' && !patch) return false;
  const options = patch ? [] : atts ? ['$select', '$expand', '$filter', '$top'] : ['$select', '$expand'];
  if (!queryAccepted(req, res, options, atts ? undefined : MESSAGE)) return true;
  const accepts = patch ? ACCEPTS.mailWrite : atts ? ACCEPTS.attachmentsRead : ACCEPTS.mailRead;
  if (!permitted(req, res, accepts, 'outlook')) return true;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  const msg = findMessage(ctx.state, user.id, m.id ?? '');
  if (!msg) {
    graphError(res, req, 404, 'ErrorItemNotFound', NOT_FOUND);
    return true;
  }
  const context = `${ctx.url()}/v1.0/$metadata#users('${user.id}')/messages`;
  if (atts) {
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
  if (!patch) {
    const body = selectFields(messageJson(msg, req.immutable), req.query.get('$select'));
    sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...body });
    return true;
  }
  const body = req.json<Record<string, unknown>>();
  if (!body || Array.isArray(body)) {
    graphError(res, req, 400, 'ErrorInvalidRequest', 'The request body is not a valid message update.');
    return true;
  }
  if (!bodyAccepted(req, res, body, MESSAGE.name, UPDATABLE)) return true;
  const categories = body.categories;
  if (categories !== undefined) {
    if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string')) {
      graphError(res, req, 400, 'ErrorInvalidRequest', 'categories must be an array of strings.');
      return true;
    }
    if (categories.some((c: string) => c.length > MAX_CATEGORY_NAME)) {
      graphError(res, req, 400, 'ErrorInvalidArgument', `A category is longer than ${MAX_CATEGORY_NAME} characters.`);
      return true;
    }
    msg.categories = [...categories];
  }
  touch(ctx.state, msg);
  sendJson(res, 200, { '@odata.context': `${context}/$entity`, ...messageJson(msg, req.immutable) });
  return true;
};
