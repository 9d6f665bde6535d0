import { randomUUID } from 'node:crypto';
import type { GraphSeed, SeedUser } from '../graph-seed.js';
import { conversationIdFor, folderIdFor, newImmutableId, newInternetMessageId } from './ids.js';
import type { EmuAddress, EmuFolder, EmulatorState, EmuMessage, SandboxMail } from './types.js';

/**
 * Each mailbox's folders: the well-known ones under the root ("Top of Information Store"), a subfolder of the
 * Inbox, and "Orders", a folder of its own beside the Inbox (where a rule may file mail).
 */
const SEED_FOLDERS: Array<{ key: string; name: string; parent: string; wellKnown: string | null }> = [
  { key: 'inbox', name: 'Inbox', parent: 'msgfolderroot', wellKnown: 'inbox' },
  { key: 'inbox/escalations', name: 'Escalations', parent: 'inbox', wellKnown: null },
  { key: 'orders', name: 'Orders', parent: 'msgfolderroot', wellKnown: null },
  { key: 'sentitems', name: 'Sent Items', parent: 'msgfolderroot', wellKnown: 'sentitems' },
  { key: 'drafts', name: 'Drafts', parent: 'msgfolderroot', wellKnown: 'drafts' },
  { key: 'deleteditems', name: 'Deleted Items', parent: 'msgfolderroot', wellKnown: 'deleteditems' },
  { key: 'junkemail', name: 'Junk Email', parent: 'msgfolderroot', wellKnown: 'junkemail' },
  { key: 'archive', name: 'Archive', parent: 'msgfolderroot', wellKnown: 'archive' },
  { key: 'outbox', name: 'Outbox', parent: 'msgfolderroot', wellKnown: 'outbox' },
];

export function createState(seed: GraphSeed): EmulatorState {
  const folders: EmuFolder[] = [];
  for (const u of seed.users) {
    const root = folderIdFor(u.id, 'msgfolderroot');
    folders.push({
      id: root,
      userId: u.id,
      displayName: 'Top of Information Store',
      parentFolderId: '',
      wellKnownName: 'msgfolderroot',
      seq: 0,
    });
    for (const f of SEED_FOLDERS) {
      folders.push({
        id: folderIdFor(u.id, f.key),
        userId: u.id,
        displayName: f.name,
        parentFolderId: folderIdFor(u.id, f.parent),
        wellKnownName: f.wellKnown,
        // Folder delta reports each folder once in a first round, so each starts as a change.
        seq: folders.length,
      });
    }
  }
  return {
    tenantId: seed.tenantId,
    users: seed.users,
    teams: seed.teams ?? [],
    groups: seed.groups ?? [],
    folders,
    messages: [],
    tombstones: [],
    subscriptions: new Map(),
    masterCategories: new Map(),
    tokens: new Map(),
    tokensIssued: 0,
    requests: [],
    notifications: [],
    seq: folders.length,
    deltaEpoch: 1,
  };
}

/** By id, UPN or mail, any case. */
export function findUser(state: EmulatorState, key: string): SeedUser | undefined {
  const k = decodeURIComponent(key).toLowerCase();
  return state.users.find((u) => u.id === k || u.userPrincipalName.toLowerCase() === k);
}

/** A folder's path from the root, e.g. `Inbox/Escalations`. */
export function folderPath(state: EmulatorState, folder: EmuFolder): string {
  const parent = state.folders.find((f) => f.id === folder.parentFolderId);
  return parent && parent.wellKnownName !== 'msgfolderroot'
    ? `${folderPath(state, parent)}/${folder.displayName}`
    : folder.displayName;
}

/**
 * By id or well-known name (`inbox`, `deleteditems`, …), as Graph finds folders; for the sandbox's own routes
 * also by path (`Inbox/Escalations`) or display name (`Orders`), and `sent` for Sent Items.
 */
export function findFolder(
  state: EmulatorState,
  userId: string,
  key: string,
  opts: { byName?: boolean } = {},
): EmuFolder | undefined {
  const k = key.toLowerCase();
  const mine = state.folders.filter((f) => f.userId === userId);
  const graph = mine.find((f) => f.id === key || f.wellKnownName === k);
  if (graph || opts.byName === false) return graph;
  if (k === 'sent') return mine.find((f) => f.wellKnownName === 'sentitems');
  return (
    mine.find((f) => folderPath(state, f).toLowerCase() === k) ??
    mine.find((f) => f.displayName.toLowerCase() === k && f.wellKnownName !== 'msgfolderroot')
  );
}

/** A folder a person makes (top level when no parent is given); it shows in folder delta. */
export function createFolder(state: EmulatorState, userId: string, name: string, parent?: EmuFolder): EmuFolder {
  const root = state.folders.find((f) => f.userId === userId && f.wellKnownName === 'msgfolderroot');
  state.seq += 1;
  const folder: EmuFolder = {
    id: `AQMkA${randomUUID().replaceAll('-', '')}`,
    userId,
    displayName: name,
    parentFolderId: parent?.id ?? root?.id ?? '',
    wellKnownName: null,
    seq: state.seq,
  };
  state.folders.push(folder);
  return folder;
}

/** Renames or moves a folder; folder delta reports it again. */
export function changeFolder(state: EmulatorState, folder: EmuFolder, change: { name?: string; parent?: EmuFolder }) {
  state.seq += 1;
  if (change.name) folder.displayName = change.name;
  if (change.parent) folder.parentFolderId = change.parent.id;
  folder.seq = state.seq;
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function addressOf(state: EmulatorState, address: string, name?: string): EmuAddress {
  const user = findUser(state, address);
  return { name: name ?? user?.displayName ?? address.split('@')[0] ?? address, address };
}

/**
 * Stores one copy per sandbox mailbox among To and Cc (same internetMessageId in each), plus one in the
 * sender's Sent Items when the sender is a sandbox mailbox. Returns the new copies.
 */
export function storeMail(state: EmulatorState, mail: SandboxMail, now: Date): EmuMessage[] {
  const to = list(mail.to);
  const cc = list(mail.cc);
  const parent = mail.inReplyTo ? state.messages.find((m) => m.internetMessageId === mail.inReplyTo) : undefined;
  const common = {
    internetMessageId: newInternetMessageId(mail.from),
    conversationId: parent?.conversationId ?? conversationIdFor(mail.subject),
    subject: mail.subject,
    from: addressOf(state, mail.from, mail.fromName),
    to: to.map((a) => addressOf(state, a)),
    cc: cc.map((a) => addressOf(state, a)),
    body: mail.body ?? `Hello,\n\n${mail.subject}\n\nThanks`,
    bodyType: mail.bodyType ?? 'text',
    receivedDateTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sentDateTime: new Date(now.getTime() - 2000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    attachments: (mail.attachments ?? []).map((a) => ({
      id: `AAMkAGAtt${randomUUID()}`,
      name: a.name,
      contentType: a.contentType ?? 'application/octet-stream',
      contentBytes: a.contentBase64,
      size: Buffer.from(a.contentBase64, 'base64').length,
    })),
  };
  const copies: EmuMessage[] = [];
  const place = (user: SeedUser, folderKey: string) => {
    const folder = findFolder(state, user.id, folderKey) ?? findFolder(state, user.id, 'inbox');
    if (!folder || copies.some((c) => c.userId === user.id)) return;
    state.seq += 1;
    const copy: EmuMessage = {
      ...common,
      immutableId: newImmutableId(),
      userId: user.id,
      folderId: folder.id,
      categories: [],
      seq: state.seq,
      isDraft: false,
    };
    state.messages.push(copy);
    copies.push(copy);
  };
  for (const address of [...to, ...cc]) {
    const user = findUser(state, address);
    if (user) place(user, mail.folder ?? 'inbox');
  }
  const sender = findUser(state, mail.from);
  if (sender) place(sender, 'sentitems');
  return copies;
}

/** Moves a message; its REST id changes, its immutable id does not. */
export function moveMessage(state: EmulatorState, m: EmuMessage, folder: EmuFolder): void {
  if (m.folderId === folder.id) return;
  state.seq += 1;
  state.tombstones.push({ userId: m.userId, folderId: m.folderId, immutableId: m.immutableId, seq: state.seq });
  m.folderId = folder.id;
  m.seq = state.seq;
}

export function touch(state: EmulatorState, m: EmuMessage): void {
  state.seq += 1;
  m.seq = state.seq;
}
