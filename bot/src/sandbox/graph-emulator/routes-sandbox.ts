import type { EmuContext, Route } from './context.js';
import { match, sendJson } from './http.js';
import { changeFolder, createFolder, findFolder, findUser, folderPath, moveMessage, storeMail } from './store.js';
import type { EmuMessage, SandboxMail } from './types.js';

export interface DeliveredCopy {
  mailbox: string;
  userId: string;
  id: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  folder: string;
  /** How many subscriptions were sent a change notification for this copy. */
  notified: number;
}

function folderName(ctx: EmuContext, m: EmuMessage): string {
  const folder = ctx.state.folders.find((f) => f.id === m.folderId);
  return folder ? folderPath(ctx.state, folder) : '';
}

function summary(ctx: EmuContext, m: EmuMessage, notified = 0): DeliveredCopy {
  return {
    mailbox: findUser(ctx.state, m.userId)?.userPrincipalName ?? m.userId,
    userId: m.userId,
    id: m.immutableId,
    internetMessageId: m.internetMessageId,
    conversationId: m.conversationId,
    subject: m.subject,
    folder: folderName(ctx, m),
    notified,
  };
}

/** Stores the mail in every sandbox mailbox it reaches, and notifies their subscriptions. */
export function deliver(ctx: EmuContext, mail: SandboxMail): DeliveredCopy[] {
  const copies = storeMail(ctx.state, mail, ctx.now());
  return copies.map((m) => summary(ctx, m, ctx.notifier.messageCreated(m)));
}

function invalid(mail: Partial<SandboxMail> | undefined): string | null {
  if (!mail) return 'The body must be JSON: {"to","from","subject"}.';
  if (!mail.to || (Array.isArray(mail.to) && mail.to.length === 0)) return '"to" is required.';
  if (typeof mail.from !== 'string' || !mail.from.includes('@')) return '"from" must be an email address.';
  if (typeof mail.subject !== 'string') return '"subject" is required.';
  return null;
}

/** The sandbox's control API: not part of Graph, and not behind its token. */
export const sandboxRoute: Route = (req, res, ctx) => {
  if (req.path === '/_sandbox/messages' && req.method === 'POST') {
    const mail = req.json<SandboxMail>();
    const problem = invalid(mail);
    if (problem || !mail) {
      sendJson(res, 400, { error: problem });
      return true;
    }
    const delivered = deliver(ctx, mail);
    if (delivered.length === 0) {
      const known = ctx.state.users.map((u) => u.userPrincipalName).join(', ');
      sendJson(res, 400, { error: `No sandbox mailbox among the recipients. Mailboxes: ${known}` });
      return true;
    }
    sendJson(res, 201, { delivered });
    return true;
  }
  if (req.path === '/_sandbox/messages' && req.method === 'GET') {
    const mailbox = req.query.get('mailbox');
    const user = mailbox ? findUser(ctx.state, mailbox) : undefined;
    const value = ctx.state.messages.filter((m) => !mailbox || m.userId === user?.id).map((m) => summary(ctx, m));
    sendJson(res, 200, { value });
    return true;
  }
  const move = match('/_sandbox/messages/:id/move', req.path);
  if (move && req.method === 'POST') {
    const msg = ctx.state.messages.find((m) => m.immutableId === move.id);
    const target = req.json<{ folder?: string }>()?.folder ?? '';
    const folder = msg ? findFolder(ctx.state, msg.userId, target) : undefined;
    if (!msg || !folder) {
      sendJson(res, 404, { error: msg ? `No folder "${target}" in that mailbox` : 'No such message' });
      return true;
    }
    moveMessage(ctx.state, msg, folder);
    sendJson(res, 200, summary(ctx, msg));
    return true;
  }
  if (req.path === '/_sandbox/folders' && req.method === 'POST') {
    // A folder a person makes in Outlook: `{ mailbox, name, parent? }` (parent by path, id or well-known name).
    const b = req.json<{ mailbox?: string; name?: string; parent?: string }>() ?? {};
    const user = b.mailbox ? findUser(ctx.state, b.mailbox) : undefined;
    const parent = user && b.parent ? findFolder(ctx.state, user.id, b.parent) : undefined;
    if (!user || !b.name?.trim() || (b.parent && !parent)) {
      sendJson(res, 400, {
        error: 'The body must be {"mailbox","name","parent"?} naming a sandbox mailbox and folder.',
      });
      return true;
    }
    const folder = createFolder(ctx.state, user.id, b.name.trim(), parent);
    sendJson(res, 201, { id: folder.id, path: folderPath(ctx.state, folder) });
    return true;
  }
  const folderChange = match('/_sandbox/folders/:id', req.path);
  if (folderChange && req.method === 'PATCH') {
    // Renames or moves a folder: `{ name?, parent? }`.
    const folder = ctx.state.folders.find((f) => f.id === folderChange.id && f.wellKnownName === null);
    const b = req.json<{ name?: string; parent?: string }>() ?? {};
    const parent = folder && b.parent ? findFolder(ctx.state, folder.userId, b.parent) : undefined;
    if (!folder || (b.parent && !parent)) {
      sendJson(res, 404, { error: folder ? `No folder "${b.parent}" in that mailbox` : 'No such folder of a person' });
      return true;
    }
    changeFolder(ctx.state, folder, { ...(b.name ? { name: b.name } : {}), ...(parent ? { parent } : {}) });
    sendJson(res, 200, { id: folder.id, path: folderPath(ctx.state, folder) });
    return true;
  }
  return false;
};
