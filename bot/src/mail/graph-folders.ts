import { MailroomError } from '../core/errors.js';
import type { GraphCaller } from './graph-caller.js';
import { graphSegment } from './graph-path.js';

/**
 * Graph's well-known folder names: what an admin may name in CATCHUP_EXCLUDE_FOLDERS.
 * https://learn.microsoft.com/graph/api/resources/mailfolder#well-known-folder-names
 */
export const WELL_KNOWN_FOLDERS = [
  'archive',
  'clutter',
  'conflicts',
  'conversationhistory',
  'deleteditems',
  'drafts',
  'inbox',
  'junkemail',
  'localfailures',
  'msgfolderroot',
  'outbox',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'sentitems',
  'serverfailures',
  'syncissues',
] as const;
export type WellKnownFolder = (typeof WELL_KNOWN_FOLDERS)[number];

/** Never caught up, whatever the setting: deleted mail, spam and unsent drafts are not news. */
export const ALWAYS_SKIPPED: readonly WellKnownFolder[] = ['deleteditems', 'junkemail', 'drafts'];

export interface MailFolder {
  id: string;
  displayName: string;
  /** Graph's well-known name when the folder is one (`inbox`, `sentitems`, …); null for folders people made. */
  wellKnownName: WellKnownFolder | null;
  /** Human path, e.g. `Inbox/Escalations`, for logs. */
  path: string;
}

interface GraphFolder {
  id: string;
  displayName?: string;
  parentFolderId?: string;
  childFolderCount?: number;
  '@removed'?: unknown;
}

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const FOLDER_FIELDS = 'displayName,parentFolderId,childFolderCount';
const user = (id: string) => `/users/${graphSegment(id)}`;

/** Follows `@odata.nextLink` to the end (or to the `@odata.deltaLink` of a delta round). */
async function allPages(graph: GraphCaller, first: string, what: string, pageSize?: number): Promise<GraphFolder[]> {
  const out: GraphFolder[] = [];
  let link: string | undefined = first;
  while (link) {
    const request = graph.api(link);
    if (pageSize) request.header('Prefer', `odata.maxpagesize=${pageSize}`);
    const page = (await graph.run('user', what, () => request.get())) as GraphPage<GraphFolder>;
    out.push(...(page.value ?? []));
    link = page['@odata.deltaLink'] ? undefined : page['@odata.nextLink'];
  }
  return out;
}

/**
 * The mailbox's whole folder tree from one mailFolders/delta round (it lists nested folders too, each with its
 * parentFolderId). The page does not say so in words, so where a folder reports more children than the round
 * returned, its childFolders are listed as well: the tree is complete under either reading.
 * https://learn.microsoft.com/graph/api/mailfolder-delta
 */
async function folderTree(graph: GraphCaller, userId: string): Promise<Map<string, GraphFolder>> {
  const first = `${user(userId)}/mailFolders/delta?$select=${FOLDER_FIELDS}`;
  const folders = new Map<string, GraphFolder>();
  for (const f of await allPages(graph, first, `List the folders of ${userId}`, 100)) {
    if (!('@removed' in f)) folders.set(f.id, f);
  }
  const pending = [...folders.values()];
  while (pending.length > 0) {
    const parent = pending.pop() as GraphFolder;
    const seen = [...folders.values()].filter((f) => f.parentFolderId === parent.id).length;
    if ((parent.childFolderCount ?? 0) <= seen) continue;
    // https://learn.microsoft.com/graph/api/mailfolder-list-childfolders
    const link = `${user(userId)}/mailFolders/${graphSegment(parent.id)}/childFolders?$select=${FOLDER_FIELDS}&$top=100`;
    for (const child of await allPages(graph, link, `List the subfolders of ${parent.displayName ?? parent.id}`)) {
      if (folders.has(child.id)) continue;
      folders.set(child.id, child);
      pending.push(child);
    }
  }
  return folders;
}

/**
 * The id of each well-known folder the mailbox has (the folder delta does not name them); a folder the mailbox
 * lacks (404, e.g. no Archive) is left out. Ids of well-known folders do not change, so they are kept per mailbox.
 * https://learn.microsoft.com/graph/api/mailfolder-get
 */
export class WellKnownFolderIds {
  private readonly known = new Map<string, Map<WellKnownFolder, string | null>>();

  async of(
    graph: GraphCaller,
    userId: string,
    names: readonly WellKnownFolder[],
  ): Promise<Map<WellKnownFolder, string>> {
    const mine = this.known.get(userId) ?? new Map<WellKnownFolder, string | null>();
    this.known.set(userId, mine);
    for (const name of names) {
      if (mine.has(name)) continue;
      try {
        const f = (await graph.run('other', `Find the ${name} folder of ${userId}`, () =>
          graph.api(`${user(userId)}/mailFolders/${name}?$select=id`).get(),
        )) as GraphFolder;
        mine.set(name, f.id);
      } catch (err) {
        if (!(err instanceof MailroomError && err.status === 404)) throw err;
        mine.set(name, null);
      }
    }
    const out = new Map<WellKnownFolder, string>();
    for (const name of names) {
      const id = mine.get(name);
      if (id) out.set(name, id);
    }
    return out;
  }
}

/**
 * Every folder catch-up covers: the whole tree the subscription (`users/{id}/messages`) covers, less Deleted
 * Items, Junk Email, Drafts and the folders the admin excludes, each with everything under it.
 */
export async function listMailFolders(
  graph: GraphCaller,
  wellKnown: WellKnownFolderIds,
  userId: string,
  exclude: readonly WellKnownFolder[],
): Promise<MailFolder[]> {
  const skipped = [...new Set([...ALWAYS_SKIPPED, ...exclude])];
  const named = await wellKnown.of(graph, userId, [...new Set<WellKnownFolder>(['inbox', 'sentitems', ...skipped])]);
  const nameOf = new Map([...named].map(([name, id]) => [id, name]));
  const skippedIds = new Set(skipped.map((n) => named.get(n)).filter((id): id is string => id !== undefined));
  const tree = await folderTree(graph, userId);
  const path = (f: GraphFolder, depth = 0): string => {
    const parent = f.parentFolderId ? tree.get(f.parentFolderId) : undefined;
    const name = f.displayName ?? f.id;
    return parent && depth < 64 ? `${path(parent, depth + 1)}/${name}` : name;
  };
  const isSkipped = (f: GraphFolder, depth = 0): boolean => {
    if (skippedIds.has(f.id)) return true;
    const parent = f.parentFolderId ? tree.get(f.parentFolderId) : undefined;
    return parent !== undefined && depth < 64 && isSkipped(parent, depth + 1);
  };
  return [...tree.values()]
    .filter((f) => !isSkipped(f))
    .map((f) => ({
      id: f.id,
      displayName: f.displayName ?? '',
      wellKnownName: nameOf.get(f.id) ?? null,
      path: path(f),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
