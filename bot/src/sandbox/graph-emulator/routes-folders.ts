import type { EmuContext, Route } from './context.js';
import { graphError, match, sendJson } from './http.js';
import { selectFields } from './message-json.js';
import { ACCEPTS, permitted } from './permissions.js';
import { MAIL_FOLDER, queryAccepted } from './query-options.js';
import { mailboxUser } from './routes-users.js';
import { findFolder } from './store.js';
import type { EmuFolder } from './types.js';

export function folderJson(ctx: EmuContext, f: EmuFolder): Record<string, unknown> {
  const inFolder = ctx.state.messages.filter((m) => m.folderId === f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    childFolderCount: ctx.state.folders.filter((c) => c.parentFolderId === f.id).length,
    unreadItemCount: inFolder.length,
    totalItemCount: inFolder.length,
    sizeInBytes: inFolder.reduce((n, m) => n + m.body.length, 0),
    isHidden: false,
  };
}

/** https://learn.microsoft.com/graph/api/mailfolder-list-childfolders#optional-query-parameters */
const LIST_OPTIONS = ['$count', '$expand', '$filter', '$orderby', '$select', '$skip', '$top'];

/**
 * A folder by id or well-known name (`inbox`, `deleteditems`, …), and a folder's child folders. Both need
 * Mail.ReadBasic.All or more. https://learn.microsoft.com/graph/api/mailfolder-get
 */
export const foldersRoute: Route = (req, res, ctx) => {
  if (req.method !== 'GET') return false;
  const kids = match('/v1.0/users/:user/mailFolders/:folder/childFolders', req.path);
  const one = kids ? null : match('/v1.0/users/:user/mailFolders/:folder', req.path);
  const m = kids ?? one;
  if (!m || m.folder === 'delta') return false;
  if (!queryAccepted(req, res, one ? ['$select', '$expand'] : LIST_OPTIONS, MAIL_FOLDER)) return true;
  if (!permitted(req, res, ACCEPTS.mailRead, 'outlook')) return true;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  const folder = findFolder(ctx.state, user.id, m.folder ?? '', { byName: false });
  if (!folder) {
    graphError(res, req, 404, 'ErrorItemNotFound', 'The specified folder could not be found in the store.');
    return true;
  }
  if (kids) {
    const value = ctx.state.folders.filter((f) => f.parentFolderId === folder.id);
    sendJson(res, 200, { value: value.map((f) => selectFields(folderJson(ctx, f), req.query.get('$select'))) });
  } else {
    sendJson(res, 200, selectFields(folderJson(ctx, folder), req.query.get('$select')));
  }
  return true;
};
