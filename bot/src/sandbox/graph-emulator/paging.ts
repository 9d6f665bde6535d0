/** One page of a collection, and the fields that link to the next (none on the last page). */
export interface Page<T> {
  items: T[];
  more: { '@odata.nextLink'?: string };
}

/**
 * Graph's server-driven paging of directory collections (group members, memberOf, team members): `$top` pages of
 * at most 999 (100 when not asked), and an `@odata.nextLink` that carries an opaque `$skiptoken` for the rest. A
 * client follows the link as given. https://learn.microsoft.com/graph/paging
 */
export function pageOf<T>(query: URLSearchParams, all: T[], link: string): Page<T> {
  const top = Math.min(999, Math.max(1, Number(query.get('$top') ?? 100) || 100));
  const skip = Math.max(0, Number(query.get('$skiptoken') ?? 0) || 0);
  const next = skip + top;
  return {
    items: all.slice(skip, next),
    more: next < all.length ? { '@odata.nextLink': `${link}?$top=${top}&$skiptoken=${next}` } : {},
  };
}
