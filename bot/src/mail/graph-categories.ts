import { MailroomError } from '../core/errors.js';
import type { GraphCaller } from './graph-caller.js';

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

/**
 * Outlook shows a category without a colour unless it is in the mailbox's master list, so add it there first.
 * https://learn.microsoft.com/graph/api/outlookuser-post-mastercategories
 */
export async function ensureMasterCategory(graph: GraphCaller, userId: string, name: string): Promise<void> {
  const path = `/users/${encodeURIComponent(userId)}/outlook/masterCategories`;
  const list = (await graph.run('user', `Read the categories of ${userId}`, () => graph.api(path).get())) as {
    value?: MasterCategory[];
  };
  if ((list.value ?? []).some((c) => c.displayName.toLowerCase() === name.toLowerCase())) return;
  try {
    await graph.run('user', `Add category "${name}" to ${userId}`, () =>
      graph.api(path).post({ displayName: name, color: presetColor(name) }),
    );
  } catch (err) {
    // Someone else added it between our read and our write: the goal is reached.
    if (err instanceof MailroomError && err.status === 409) return;
    throw err;
  }
}

/** Adds the category to the message, keeping the ones it has (PATCH replaces the whole list). */
export async function addCategory(graph: GraphCaller, userId: string, messageId: string, name: string): Promise<void> {
  await ensureMasterCategory(graph, userId, name);
  const path = `/users/${encodeURIComponent(userId)}/messages/${encodeURIComponent(messageId)}`;
  const current = (await graph.run('message', `Read the categories of message ${messageId}`, () =>
    graph.api(path).select('categories').get(),
  )) as { categories?: string[] };
  const categories = current.categories ?? [];
  if (categories.some((c) => c.toLowerCase() === name.toLowerCase())) return;
  await graph.run('message', `Set category "${name}" on message ${messageId}`, () =>
    graph.api(path).patch({ categories: [...categories, name] }),
  );
}
