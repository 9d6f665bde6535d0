import { randomUUID } from 'node:crypto';
import type { GraphSeed, SeedUser } from '../graph-seed.js';
import { conversationIdFor, folderIdFor, newImmutableId, newInternetMessageId } from './ids.js';
import type { EmuAddress, EmuFolder, EmulatorState, EmuMessage, SandboxMail } from './types.js';

export function createState(seed: GraphSeed): EmulatorState {
  const folders: EmuFolder[] = [];
  for (const u of seed.users) {
    const root = folderIdFor(u.id, 'msgfolderroot');
    const inbox = folderIdFor(u.id, 'inbox');
    folders.push(
      { id: inbox, userId: u.id, displayName: 'Inbox', parentFolderId: root, wellKnownName: 'inbox' },
      {
        id: folderIdFor(u.id, 'inbox/orders'),
        userId: u.id,
        displayName: 'Orders',
        parentFolderId: inbox,
        wellKnownName: null,
      },
      {
        id: folderIdFor(u.id, 'sentitems'),
        userId: u.id,
        displayName: 'Sent Items',
        parentFolderId: root,
        wellKnownName: 'sentitems',
      },
    );
  }
  return {
    tenantId: seed.tenantId,
    users: seed.users,
    teams: seed.teams ?? [],
    folders,
    messages: [],
    tombstones: [],
    subscriptions: new Map(),
    masterCategories: new Map(),
    tokens: new Map(),
    tokensIssued: 0,
    requests: [],
    notifications: [],
    seq: 0,
    deltaEpoch: 1,
  };
}

/** By id, UPN or mail, any case. */
export function findUser(state: EmulatorState, key: string): SeedUser | undefined {
  const k = decodeURIComponent(key).toLowerCase();
  return state.users.find((u) => u.id === k || u.userPrincipalName.toLowerCase() === k);
}

/** By id or well-known name (`inbox`, `sentitems`), or by display name for the sandbox's convenience. */
export function findFolder(state: EmulatorState, userId: string, key: string): EmuFolder | undefined {
  const k = key.toLowerCase();
  const mine = state.folders.filter((f) => f.userId === userId);
  if (k === 'sent') return mine.find((f) => f.wellKnownName === 'sentitems');
  return mine.find((f) => f.id === key || f.wellKnownName === k || f.displayName.toLowerCase() === k);
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
