import type { MailMessage } from '../core/ports.js';
import type { GraphCaller } from './graph-caller.js';
import { MESSAGE_FIELDS, toMailMessage } from './to-mail-message.js';

export interface MailFolder {
  id: string;
  displayName: string;
  /** `inbox` or `sentitems` for the well-known roots; null for subfolders. */
  wellKnownName: 'inbox' | 'sentitems' | null;
  /** Human path, e.g. `Inbox/Orders`, for logs and the dashboard. */
  path: string;
}

export interface DeltaPage {
  messages: MailMessage[];
  /** Ids Graph reported as gone from the folder (`@removed`): moved or deleted. */
  removedIds: string[];
  nextLink?: string;
  deltaLink?: string;
}

export interface DeltaPageOptions {
  deltaLink?: string;
  nextLink?: string;
  pageSize: number;
}

interface GraphFolder {
  id: string;
  displayName: string;
  childFolderCount?: number;
}

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const FOLDER_FIELDS = 'id,displayName,parentFolderId,childFolderCount';

async function children(graph: GraphCaller, userId: string, parent: GraphFolder): Promise<GraphFolder[]> {
  const out: GraphFolder[] = [];
  let link: string | undefined =
    `/users/${encodeURIComponent(userId)}/mailFolders/${encodeURIComponent(parent.id)}/childFolders?$select=${FOLDER_FIELDS}&$top=100`;
  while (link) {
    const current: string = link;
    const page = (await graph.run('user', `List the subfolders of ${parent.displayName}`, () =>
      graph.api(current).get(),
    )) as GraphPage<GraphFolder>;
    out.push(...(page.value ?? []));
    link = page['@odata.nextLink'];
  }
  return out;
}

/**
 * The Inbox and all its subfolders (rules file mail there), plus Sent Items (autopilot on outgoing mail).
 * Delta works one folder at a time, so catch-up walks this list.
 * https://learn.microsoft.com/graph/api/message-delta
 */
export async function listInboxFolders(graph: GraphCaller, userId: string): Promise<MailFolder[]> {
  const root = async (name: 'inbox' | 'sentitems'): Promise<GraphFolder> =>
    (await graph.run('user', `Read the ${name} folder of ${userId}`, () =>
      graph.api(`/users/${encodeURIComponent(userId)}/mailFolders/${name}?$select=${FOLDER_FIELDS}`).get(),
    )) as GraphFolder;
  const inbox = await root('inbox');
  const folders: MailFolder[] = [
    { id: inbox.id, displayName: inbox.displayName, wellKnownName: 'inbox', path: inbox.displayName },
  ];
  const walk = async (parent: GraphFolder, path: string): Promise<void> => {
    if (parent.childFolderCount === 0) return;
    for (const child of await children(graph, userId, parent)) {
      const childPath = `${path}/${child.displayName}`;
      folders.push({ id: child.id, displayName: child.displayName, wellKnownName: null, path: childPath });
      await walk(child, childPath);
    }
  };
  await walk(inbox, inbox.displayName);
  const sent = await root('sentitems');
  folders.push({ id: sent.id, displayName: sent.displayName, wellKnownName: 'sentitems', path: sent.displayName });
  return folders;
}

/**
 * One page of a folder's message delta. Follow nextLink until a deltaLink comes back, and store that.
 * A 410 or syncStateNotFound throws graph_delta_reset: start the folder again.
 */
export async function deltaPage(
  graph: GraphCaller,
  userId: string,
  folderId: string,
  opts: DeltaPageOptions,
): Promise<DeltaPage> {
  const link = opts.nextLink ?? opts.deltaLink;
  const request = link
    ? graph.api(link)
    : graph
        .api(`/users/${encodeURIComponent(userId)}/mailFolders/${encodeURIComponent(folderId)}/messages/delta`)
        .select([...MESSAGE_FIELDS]);
  // https://learn.microsoft.com/graph/delta-query-messages#use-prefer-odatamaxpagesize
  request.header('Prefer', `odata.maxpagesize=${Math.max(1, Math.floor(opts.pageSize))}`);
  const page = (await graph.run('delta', `Catch up folder ${folderId} of ${userId}`, () => request.get())) as GraphPage<
    Record<string, unknown>
  >;
  const items = page.value ?? [];
  const result: DeltaPage = {
    messages: items.filter((m) => !('@removed' in m)).map(toMailMessage),
    removedIds: items.filter((m) => '@removed' in m).map((m) => String(m.id ?? '')),
  };
  if (page['@odata.nextLink']) result.nextLink = page['@odata.nextLink'];
  if (page['@odata.deltaLink']) result.deltaLink = page['@odata.deltaLink'];
  return result;
}
