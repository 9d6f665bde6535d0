import { MailroomError } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { GraphCaller } from './graph-caller.js';
import { graphSegment } from './graph-path.js';

interface MasterCategory {
  id?: string;
  displayName: string;
  color?: string;
}

/** A stable preset colour per category name, so "NetSuite" looks the same in every mailbox. */
export function presetColor(name: string): string {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 25;
  return `preset${h}`;
}

/** How long a mailbox whose master list Graph refused to write is left alone (a grant may come later). */
const DENIED_FOR_MS = 60 * 60_000;

/**
 * The mailboxes whose master category list Mailroom may not write (403): the admin guide grants
 * MailboxSettings.Read, and adding a master category needs MailboxSettings.ReadWrite. Remembered for an hour,
 * so a save does not pay for a refused POST each time, and the log says it once.
 */
export class MasterListAccess {
  private readonly deniedUntil = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  denied(userId: string): boolean {
    const until = this.deniedUntil.get(userId);
    return until !== undefined && until > this.now();
  }

  deny(userId: string): void {
    this.deniedUntil.set(userId, this.now() + DENIED_FOR_MS);
  }
}

const forbidden = (err: unknown) => err instanceof MailroomError && err.status === 403;

const NO_COLOUR_REMEDY =
  'The category is set on the message without a colour. To give it one, add the category once in Outlook for that ' +
  'mailbox, or grant the mail reader MailboxSettings.ReadWrite (docs/admin.md, section 2).';

/**
 * Outlook shows a category without a colour unless it is in the mailbox's master list, so it is added there when
 * missing. Reading the list needs MailboxSettings.Read and adding to it MailboxSettings.ReadWrite; a 403 on
 * either is no reason to leave the message unmarked, so it ends here and the caller goes on to the message.
 * https://learn.microsoft.com/graph/api/outlookuser-list-mastercategories
 * https://learn.microsoft.com/graph/api/outlookuser-post-mastercategories
 */
export async function ensureMasterCategory(
  graph: GraphCaller,
  userId: string,
  name: string,
  access: MasterListAccess,
  log: Logger,
): Promise<void> {
  if (access.denied(userId)) return;
  const path = `/users/${graphSegment(userId)}/outlook/masterCategories`;
  try {
    const list = (await graph.run('user', `Read the categories of ${userId}`, () => graph.api(path).get())) as {
      value?: MasterCategory[];
    };
    if ((list.value ?? []).some((c) => c.displayName.toLowerCase() === name.toLowerCase())) return;
    await graph.run('user', `Add category "${name}" to ${userId}`, () =>
      graph.api(path).post({ displayName: name, color: presetColor(name) }),
    );
  } catch (err) {
    // Someone else added it between our read and our write: the goal is reached.
    if (err instanceof MailroomError && err.status === 409) return;
    if (!forbidden(err)) throw err;
    access.deny(userId);
    log.warn({ mailbox: userId, category: name, remedy: NO_COLOUR_REMEDY }, 'category has no colour in this mailbox');
  }
}

/**
 * Adds the category to the message, keeping the ones it has (PATCH replaces the whole list). Needs Mail.ReadWrite.
 * https://learn.microsoft.com/graph/api/message-update
 */
export async function addCategory(
  graph: GraphCaller,
  target: { userId: string; messageId: string; name: string },
  access: MasterListAccess,
  log: Logger,
): Promise<void> {
  const { userId, messageId, name } = target;
  await ensureMasterCategory(graph, userId, name, access, log);
  const path = `/users/${graphSegment(userId)}/messages/${graphSegment(messageId)}`;
  const current = (await graph.run('message', `Read the categories of message ${messageId}`, () =>
    graph.api(path).select('categories').get(),
  )) as { categories?: string[] };
  const categories = current.categories ?? [];
  if (categories.some((c) => c.toLowerCase() === name.toLowerCase())) return;
  await graph.run('message', `Set category "${name}" on message ${messageId}`, () =>
    graph.api(path).patch({ categories: [...categories, name] }),
  );
}
