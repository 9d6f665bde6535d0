import type { EmuContext, Route } from './context.js';
import { type Change, roundOf, roundPage, SYNC_STATE_NOT_FOUND } from './delta-round.js';
import { graphError, match, type Req, sendJson } from './http.js';
import { messageId } from './ids.js';
import { messageJson, selectFields } from './message-json.js';
import { ACCEPTS, permitted } from './permissions.js';
import { MAIL_FOLDER, MESSAGE, queryAccepted } from './query-options.js';
import { folderJson } from './routes-folders.js';
import { mailboxUser } from './routes-users.js';
import { findFolder } from './store.js';
import type { EmuFolder } from './types.js';

/** https://learn.microsoft.com/graph/api/message-delta#query-parameters */
const MESSAGE_DELTA_OPTIONS = ['$select', '$top', '$expand', '$filter', '$orderby', '$skiptoken', '$deltatoken'];
/** https://learn.microsoft.com/graph/api/mailfolder-delta#query-parameters */
const FOLDER_DELTA_OPTIONS = ['$select', '$skiptoken', '$deltatoken'];

/** Message delta takes only `receivedDateTime ge|gt <date>`. https://learn.microsoft.com/graph/delta-query-messages */
const RECEIVED_FILTER = /^receivedDateTime (ge|gt) (\d{4}-\d\d-\d\dT[\d:.]+Z)$/;

function receivedAfter(filter: string | null): ((received: string) => boolean) | null | 'bad' {
  if (filter === null) return null;
  const m = RECEIVED_FILTER.exec(filter);
  const at = m?.[2] ? Date.parse(m[2]) : Number.NaN;
  if (!m || Number.isNaN(at)) return 'bad';
  return (received) => (m[1] === 'ge' ? Date.parse(received) >= at : Date.parse(received) > at);
}

/**
 * Message delta for one folder (delta is per folder): new and changed messages, and `@removed` for those that
 * left it (moved or deleted). https://learn.microsoft.com/graph/api/message-delta
 */
function messageDelta(req: Req, ctx: EmuContext, userId: string, folder: EmuFolder) {
  const token = roundOf(req, ctx);
  if (!token) return SYNC_STATE_NOT_FOUND;
  const after = receivedAfter(token.f);
  if (after === 'bad') {
    const error = { code: 'BadRequest', message: 'Delta on messages filters on receivedDateTime (ge, gt) only.' };
    return { status: 400, body: { error } };
  }
  const changes: Change[] = ctx.state.messages
    .filter((m) => m.userId === userId && m.folderId === folder.id && (!after || after(m.receivedDateTime)))
    .map((m) => ({ seq: m.seq, json: selectFields(messageJson(m, req.immutable), token.s) }));
  for (const t of ctx.state.tombstones) {
    if (t.userId !== userId || t.folderId !== folder.id || token.w === 0) continue;
    const m = ctx.state.messages.find((x) => x.immutableId === t.immutableId);
    const id = m && !req.immutable ? messageId({ ...m, folderId: t.folderId }, false) : t.immutableId;
    changes.push({
      seq: t.seq,
      json: { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } },
    });
  }
  const link = `${ctx.url()}/v1.0/users/${userId}/mailFolders/${folder.id}/messages/delta`;
  return roundPage(req, token, changes, link, `${ctx.url()}/v1.0/$metadata#Collection(message)`);
}

/**
 * The mailbox's folders, the whole tree flattened (each with its parentFolderId), new or changed since the last
 * round. https://learn.microsoft.com/graph/api/mailfolder-delta
 */
function folderDelta(req: Req, ctx: EmuContext, userId: string) {
  const token = roundOf(req, ctx);
  if (!token) return SYNC_STATE_NOT_FOUND;
  const root = ctx.state.folders.find((f) => f.userId === userId && f.wellKnownName === 'msgfolderroot');
  const changes: Change[] = ctx.state.folders
    .filter((f) => f.userId === userId && f.wellKnownName !== 'msgfolderroot')
    .filter((f) => !ctx.faults.shallowFolderDelta || f.parentFolderId === root?.id)
    .map((f) => ({ seq: f.seq, json: selectFields(folderJson(ctx, f), token.s) }));
  const link = `${ctx.url()}/v1.0/users/${userId}/mailFolders/delta`;
  return roundPage(req, token, changes, link, `${ctx.url()}/v1.0/$metadata#Collection(mailFolder)`);
}

export const deltaRoute: Route = (req, res, ctx) => {
  if (req.method !== 'GET') return false;
  const folders = match('/v1.0/users/:user/mailFolders/delta', req.path);
  const messages = folders ? null : match('/v1.0/users/:user/mailFolders/:folder/messages/delta', req.path);
  const m = folders ?? messages;
  if (!m) return false;
  const ok = folders
    ? queryAccepted(req, res, FOLDER_DELTA_OPTIONS, MAIL_FOLDER)
    : queryAccepted(req, res, MESSAGE_DELTA_OPTIONS, MESSAGE);
  if (!ok || !permitted(req, res, ACCEPTS.mailRead, 'outlook')) return true;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  if (folders) {
    const out = folderDelta(req, ctx, user.id);
    sendJson(res, out.status, out.body);
    return true;
  }
  const folder = findFolder(ctx.state, user.id, m.folder ?? '', { byName: false });
  if (!folder) {
    graphError(res, req, 404, 'ErrorItemNotFound', 'The specified folder could not be found in the store.');
    return true;
  }
  const out = messageDelta(req, ctx, user.id, folder);
  sendJson(res, out.status, out.body);
  return true;
};
