import { readFileSync } from 'node:fs';

/** The statuses docs/wire.md defines ("How to read a row"). */
export const STATUSES = ['live', 'changing', 'removing', 'removed', 'not called', 'sdk'] as const;
export type Status = (typeof STATUSES)[number];

/** One call row of docs/wire.md. */
export interface WireRow {
  id: string;
  /** The `###`/`##` heading the row sits under. */
  section: string;
  method: string;
  /** As written, with `{name}` placeholders. */
  path: string;
  follows: string;
  status: Status;
  /** The status cell as written, e.g. `changing §2`. */
  statusText: string;
}

/** One row of the "Sandbox-only routes" table. */
export interface SandboxRoute {
  emulator: string;
  method: string;
  path: string;
}

const cells = (line: string) =>
  line
    .slice(1, line.endsWith('|') ? -1 : undefined)
    .split(' | ')
    .map((c) => c.trim());

/** Reads docs/wire.md's call rows (first cell like `G05`) and its sandbox-only routes. */
export function readWireTable(file = new URL('../../docs/wire.md', import.meta.url)): {
  rows: WireRow[];
  sandbox: SandboxRoute[];
} {
  const rows: WireRow[] = [];
  const sandbox: SandboxRoute[] = [];
  let section = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading?.[1]) section = heading[1];
    if (!line.startsWith('| ')) continue;
    const c = cells(line);
    const call = /`([A-Z]+) ([^`\s]+)`/.exec(c[1] ?? '');
    if (/^[A-Z]\d{2}$/.test(c[0] ?? '')) {
      const statusText = c.at(-1) ?? '';
      const status = STATUSES.find((s) => statusText === s || statusText.startsWith(`${s} §`));
      if (!status) throw new Error(`${c[0]}: unknown status "${statusText}"`);
      if (!call?.[1] || !call[2]) throw new Error(`${c[0]}: the call cell has no \`METHOD /path\``);
      rows.push({
        id: c[0] ?? '',
        section,
        method: call[1],
        path: call[2],
        follows: c.at(-2) ?? '',
        status,
        statusText,
      });
    } else if (section.startsWith('Sandbox-only') && call?.[1] && call[2]) {
      sandbox.push({ emulator: c[0] ?? '', method: call[1], path: call[2] });
    }
  }
  return { rows, sandbox };
}

/** `/users/{id}/messages/{id}` and `/users/:user/messages/:id` both become `/users/{}/messages/{}` (lower case). */
export function shape(path: string): string {
  return path
    .split('/')
    .map((s) => (s.startsWith(':') || /^\{[^}]*\}$/.test(s) ? '{}' : s.toLowerCase()))
    .join('/');
}

/** Fills each `{name}` with the value for the segment before it (`users` → a user id), or `fallback`. */
export function concrete(path: string, byPrevious: Record<string, string>, fallback = 'x'): string {
  const parts = path.split('/');
  return parts
    .map((s, i) => (/^\{[^}]*\}$/.test(s) ? encodeURIComponent(byPrevious[parts[i - 1] ?? ''] ?? fallback) : s))
    .join('/');
}

/** Route patterns written in an emulator's source: `match('/v1.0/…', …)` and `=== '/…'` comparisons. */
export function sourceRoutes(files: string[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/match\('([^']+)'/g)) if (m[1]) out.add(shape(m[1]));
    for (const m of text.matchAll(/=== '(\/[^']+)'/g)) if (m[1]) out.add(shape(m[1]));
  }
  return [...out];
}
