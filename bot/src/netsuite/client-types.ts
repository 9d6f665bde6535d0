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

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}
