import type { MailMessage } from '../core/ports.js';
import type { GraphCaller } from './graph-caller.js';
import { graphSegment } from './graph-path.js';
import { MESSAGE_FIELDS, toMailMessage } from './to-mail-message.js';

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

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
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
        .api(`/users/${graphSegment(userId)}/mailFolders/${graphSegment(folderId)}/messages/delta`)
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
