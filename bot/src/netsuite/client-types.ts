/** Shapes the NetSuite client takes and gives. */
export interface RequestOptions {
  what: string;
  body?: unknown;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface SuiteQLPage<T> {
  items: T[];
  hasMore: boolean;
  offset: number;
  count: number;
  totalResults: number;
}

/** `…/record/v1/message/1234` → `1234`. */
export function idFromLocation(location: string | null): string | null {
  if (!location) return null;
  const last = location.replace(/\/+$/, '').split('/').pop();
  return last ? decodeURIComponent(last) : null;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}
