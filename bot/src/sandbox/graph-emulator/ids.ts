import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorState, EmuMessage } from './types.js';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** Stands in for an Exchange immutable id: random, and fixed for the life of the message. */
export function newImmutableId(): string {
  return `AAkALg${randomBytes(24).toString('base64url')}`;
}

/** The default (REST) id depends on the folder, as in Exchange: a move gives the message a new one. */
export function restId(m: EmuMessage): string {
  return `AAMkAG${b64(`${m.folderId}|${m.immutableId}`)}`;
}

export function messageId(m: EmuMessage, immutable: boolean): string {
  return immutable ? m.immutableId : restId(m);
}

/** Finds a message by either kind of id. A REST id from before a move no longer resolves, as in Graph. */
export function findMessage(state: EmulatorState, userId: string, id: string): EmuMessage | undefined {
  if (id.startsWith('AAMkAG')) {
    const [folderId, immutableId] = Buffer.from(id.slice(6), 'base64url').toString('utf8').split('|');
    return state.messages.find((m) => m.userId === userId && m.immutableId === immutableId && m.folderId === folderId);
  }
  return state.messages.find((m) => m.userId === userId && m.immutableId === id);
}

export function folderIdFor(userId: string, name: string): string {
  return `AQMkA${b64(createHash('sha256').update(`${userId}/${name}`).digest().subarray(0, 18))}`;
}

/** Outlook's conversation id is shared by a thread; here it comes from the thread's normalized subject. */
export function conversationIdFor(subject: string): string {
  return `AAQkA${b64(createHash('sha256').update(normalizeSubject(subject)).digest().subarray(0, 24))}`;
}

/** "Re: FW: Order 1042" → "order 1042". */
export function normalizeSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|vs)\s*:\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s.toLowerCase();
}

export function newInternetMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'fabrikam.example';
  return `<${randomBytes(12).toString('hex').toUpperCase()}@${domain.replace(/\.com$/, '.example')}>`;
}

export function etag(m: EmuMessage): string {
  return `W/"CQAAABYAAA${b64(`${m.immutableId}:${m.seq}`).slice(-24)}"`;
}
