import type { EmuContext, Route } from './context.js';
import { graphError, match, type Req, sendJson } from './http.js';
import { messageId } from './ids.js';
import { messageJson, selectFields } from './message-json.js';
import { ACCEPTS, permitted } from './permissions.js';
import { MAIL_FOLDER, MESSAGE, queryAccepted } from './query-options.js';
import { mailboxUser } from './routes-users.js';
import { findFolder } from './store.js';
import type { EmuFolder } from './types.js';

function folderJson(ctx: EmuContext, f: EmuFolder): Record<string, unknown> {
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

/** Where a delta round stands; carried in the skiptoken / deltatoken. */
interface DeltaToken {
  e: number;
  w: number;
  h: number;
  a: number;
  s: string | null;
}

const encode = (t: DeltaToken) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decode(raw: string): DeltaToken | null {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaToken;
    return typeof t.e === 'number' && typeof t.w === 'number' ? t : null;
  } catch {
    return null;
  }
}

/**
 * Message delta for one folder: pages by `Prefer: odata.maxpagesize`, `@odata.nextLink` until the round is
 * done, then `@odata.deltaLink`. An unknown or reset token answers 410 SyncStateNotFound.
 * https://learn.microsoft.com/graph/delta-query-messages
 */
function delta(req: Req, ctx: EmuContext, userId: string, folder: EmuFolder): { status: number; body: unknown } {
  const raw = req.query.get('$skiptoken') ?? req.query.get('$deltatoken');
  let token: DeltaToken;
  if (raw === null) {
    token = { e: ctx.state.deltaEpoch, w: 0, h: ctx.state.seq, a: 0, s: req.query.get('$select') };
  } else {
    const t = decode(raw);
    if (!t || t.e !== ctx.state.deltaEpoch) {
      const error = { code: 'SyncStateNotFound', message: 'The sync state generation is not found.' };
      return { status: 410, body: { error } };
    }
    // A deltaLink starts a new round: everything after its watermark, up to now.
    token = req.query.has('$deltatoken') ? { ...t, h: ctx.state.seq, a: t.w } : t;
  }
  const pageSize = Math.min(req.maxPageSize ?? 10, 1000);
  const changed = ctx.state.messages
    .filter((m) => m.userId === userId && m.folderId === folder.id && m.seq > token.a && m.seq <= token.h)
    .map((m) => ({ seq: m.seq, json: selectFields(messageJson(m, req.immutable), token.s) }));
  const removed = ctx.state.tombstones
    .filter(
      (t) => t.userId === userId && t.folderId === folder.id && t.seq > token.a && t.seq <= token.h && token.w > 0,
    )
    .map((t) => {
      const m = ctx.state.messages.find((x) => x.immutableId === t.immutableId);
      const id = m && !req.immutable ? messageId({ ...m, folderId: t.folderId }, false) : t.immutableId;
      return { seq: t.seq, json: { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } } };
    });
  const all = [...changed, ...removed].sort((x, y) => x.seq - y.seq);
  const page = all.slice(0, pageSize);
  const link = `${ctx.url()}/v1.0/users/${userId}/mailFolders/${folder.id}/messages/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.url()}/v1.0/$metadata#Collection(message)`,
    value: page.map((p) => p.json),
  };
  const last = page[page.length - 1];
  if (all.length > pageSize && last)
    body['@odata.nextLink'] = `${link}?$skiptoken=${encode({ ...token, a: last.seq })}`;
  else body['@odata.deltaLink'] = `${link}?$deltatoken=${encode({ ...token, w: token.h, a: token.h })}`;
  return { status: 200, body };
}

/** https://learn.microsoft.com/graph/api/message-delta#query-parameters */
const DELTA_OPTIONS = ['$select', '$top', '$expand', '$filter', '$orderby', '$skiptoken', '$deltatoken'];
/** https://learn.microsoft.com/graph/api/mailfolder-list-childfolders#optional-query-parameters */
const LIST_OPTIONS = ['$count', '$expand', '$filter', '$orderby', '$select', '$skip', '$top'];

export const foldersRoute: Route = (req, res, ctx) => {
  if (req.method !== 'GET') return false;
  const d = match('/v1.0/users/:user/mailFolders/:folder/messages/delta', req.path);
  const kids = match('/v1.0/users/:user/mailFolders/:folder/childFolders', req.path);
  const one = match('/v1.0/users/:user/mailFolders/:folder', req.path);
  const top = match('/v1.0/users/:user/mailFolders', req.path);
  const m = d ?? kids ?? one ?? top;
  if (!m) return false;
  const options = d ? DELTA_OPTIONS : one ? ['$select', '$expand'] : LIST_OPTIONS;
  if (!queryAccepted(req, res, options, d ? MESSAGE : MAIL_FOLDER)) return true;
  if (!permitted(req, res, ACCEPTS.mailRead, 'outlook')) return true;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  if (top) {
    const roots = ctx.state.folders.filter((f) => f.userId === user.id && f.wellKnownName !== null);
    sendJson(res, 200, { value: roots.map((f) => selectFields(folderJson(ctx, f), req.query.get('$select'))) });
    return true;
  }
  const folder = findFolder(ctx.state, user.id, m.folder ?? '');
  if (!folder) {
    graphError(res, req, 404, 'ErrorItemNotFound', 'The specified folder could not be found in the store.');
    return true;
  }
  if (d) {
    const out = delta(req, ctx, user.id, folder);
    sendJson(res, out.status, out.body);
  } else if (kids) {
    const value = ctx.state.folders.filter((f) => f.parentFolderId === folder.id);
    sendJson(res, 200, { value: value.map((f) => selectFields(folderJson(ctx, f), req.query.get('$select'))) });
  } else {
    sendJson(res, 200, selectFields(folderJson(ctx, folder), req.query.get('$select')));
  }
  return true;
};
