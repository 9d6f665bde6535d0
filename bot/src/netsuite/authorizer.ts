/** Produces the Authorization header of one NetSuite request. */
export interface Authorizer {
  authorize(method: string, url: string): Promise<string>;
  /** Forgets any cached token, so the next request fetches a new one (after NetSuite said 401). */
  invalidate(): void;
}

export type FetchFn = typeof fetch;
export type Clock = () => Date;
