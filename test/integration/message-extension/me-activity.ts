import { readFileSync } from 'node:fs';

/** Messaging-extension invokes under test/fixtures/teams/, each shaped as Teams sends it. */
const FILES = {
  query: 'compose-extension-query.json',
  initialRun: 'compose-extension-query-initial-run.json',
  queryLink: 'compose-extension-query-link.json',
  fetchTask: 'compose-extension-fetch-task.json',
  submitAction: 'compose-extension-submit-action.json',
} as const;

type Json = Record<string, unknown>;

/** A fresh copy of a fixture with `value` fields replaced (shallowly) and a new activity id. */
export function meActivity(kind: keyof typeof FILES, value: Json = {}): Json {
  const file = new URL(`../../fixtures/teams/${FILES[kind]}`, import.meta.url);
  const base = JSON.parse(readFileSync(file, 'utf8')) as Json;
  return { ...base, id: `f:${crypto.randomUUID()}`, value: { ...(base.value as Json), ...value } };
}

export function searchFor(text: string): Json {
  return meActivity('query', { parameters: [{ name: 'query', value: text }] });
}

export function unfurl(url: string): Json {
  return meActivity('queryLink', { url });
}

interface Attachment {
  contentType: string;
  content: Json;
  preview?: { contentType: string; content: Json };
}

/** The composeExtension result of an invoke answer. */
export function composeResult(body: unknown): { type?: string; text?: string; attachments: Attachment[] } {
  const r = (body as { composeExtension?: { type?: string; text?: string; attachments?: Attachment[] } })
    .composeExtension;
  return { ...r, attachments: r?.attachments ?? [] };
}

/** The task (dialog or message) of a fetchTask or submitAction answer. */
export function taskOf(body: unknown): { type: string; value: unknown } {
  const t = (body as { task?: { type: string; value: unknown } }).task;
  if (!t) throw new Error(`no task in ${JSON.stringify(body)}`);
  return t;
}

export async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}
