/**
 * Reads a card the way a person sees it: the text of every TextBlock and Fact after Teams' Markdown (links show
 * their label, backslash escapes show the character), the inputs, and every button.
 */

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What CommonMark shows for our escaped text: `[label](url)` → label, `\*` → `*`. */
export function rendered(markdown: string): string {
  return markdown.replace(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)/g, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (!isObject(node)) return;
  visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'data') walk(value, visit);
  }
}

/** Every line of text the card shows, in order. Facts read as "Title: value". */
export function visibleText(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(rendered(n.text));
    if (n.type === 'FactSet' && Array.isArray(n.facts)) {
      for (const f of n.facts as Json[]) out.push(`${rendered(String(f.title))}: ${rendered(String(f.value))}`);
    }
  });
  return out;
}

/** The raw Markdown of every TextBlock and Fact value, as Teams receives it. */
export function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(n.text);
    if (n.type === 'FactSet' && Array.isArray(n.facts)) for (const f of n.facts as Json[]) out.push(String(f.value));
  });
  return out;
}

export interface CardAction {
  type: string;
  title: string;
  verb?: string;
  url?: string;
  data?: Json;
}

/** Every button, in the body's ActionSets and the card's own actions. */
export function actions(card: unknown): CardAction[] {
  const out: CardAction[] = [];
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Action.') && typeof n.title === 'string') {
      out.push(n as unknown as CardAction);
    }
  });
  return out;
}

export function action(card: unknown, title: string): CardAction | undefined {
  return actions(card).find((a) => a.title === title);
}

/** The input with this id, as JSON. */
export function input(card: unknown, id: string): Json | undefined {
  let found: Json | undefined;
  walk(card, (n) => {
    if (n.id === id && typeof n.type === 'string' && n.type.startsWith('Input.')) found = n;
  });
  return found;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
