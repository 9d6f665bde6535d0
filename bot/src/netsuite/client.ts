import { randomUUID } from 'node:crypto';
import { MailroomError } from '../core/errors.js';
import { retryAfterSeconds } from '../core/retry-after.js';
import type { Logger } from '../log.js';
import type { Authorizer, Clock, FetchFn } from './authorizer.js';
import type { RawResponse, RequestOptions, SuiteQLPage } from './client-types.js';
import type { ConcurrencyGovernor } from './governor.js';
import { mapNetSuiteError, parseErrorBody } from './map-error.js';
import { netsuiteRetryPolicy, type RetryOptions } from './retry.js';

export interface NetSuiteClientOptions {
  /** `https://<acct>.suitetalk.api.netsuite.com`, or the emulator's URL. */
  baseUrl: string;
  auth: Authorizer;
  fetch: FetchFn;
  governor: ConcurrencyGovernor;
  clock?: Clock;
  log: Logger;
  retry?: RetryOptions & {
    /** NetSuite sometimes answers an over-the-limit request with 401; retry a 401 this many times, no more. */
    auth401Retries?: number;
  };
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export type { RawResponse, RequestOptions, SuiteQLPage } from './client-types.js';

/**
 * The one NetSuite client (REST reads, SuiteQL, the SuiteApp's RESTlet): auth, the concurrency governor, retries
 * and error mapping live here, once. Mailroom writes nothing through REST records (docs/wire.md).
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_1540391670.html (REST web services)
 */
export class NetSuiteClient {
  readonly baseUrl: string;
  private readonly clock: Clock;

  constructor(private readonly opts: NetSuiteClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.clock = opts.clock ?? (() => new Date());
  }

  async get<T = Record<string, unknown>>(
    type: string,
    id: string,
    opts: { fields?: string[]; signal?: AbortSignal } = {},
  ): Promise<T> {
    const res = await this.request(
      'GET',
      `/services/rest/record/v1/${encodeURIComponent(type)}/${encodeURIComponent(id)}`,
      {
        what: `read ${type} ${id}`,
        ...(opts.fields ? { query: { fields: opts.fields.join(',') } } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    return JSON.parse(res.text) as T;
  }

  /**
   * One page of a SuiteQL query. `Prefer: transient` is required; limit is at most 1000 and the offset a
   * multiple of it. https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
   */
  async suiteql<T = Record<string, unknown>>(
    q: string,
    opts: { limit?: number; offset?: number; signal?: AbortSignal } = {},
  ): Promise<SuiteQLPage<T>> {
    const limit = Math.min(1000, Math.max(1, opts.limit ?? 1000));
    const offset = opts.offset ?? 0;
    // An assert on the caller's paging (NetSuite pages by multiples of limit), not on anything NetSuite answered.
    if (offset % limit !== 0) throw new Error(`SuiteQL offset ${offset} is not a multiple of limit ${limit}`);
    const res = await this.request('POST', '/services/rest/query/v1/suiteql', {
      what: 'query (SuiteQL)',
      body: { q },
      query: { limit, offset },
      headers: { prefer: 'transient' },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const page = JSON.parse(res.text) as Partial<SuiteQLPage<T>>;
    return {
      items: page.items ?? [],
      hasMore: page.hasMore ?? false,
      offset: page.offset ?? offset,
      count: page.count ?? page.items?.length ?? 0,
      totalResults: page.totalResults ?? page.items?.length ?? 0,
    };
  }

  /** Every row of a query, page by page, up to maxRows (NetSuite stops at 100,000). */
  async suiteqlAll<T = Record<string, unknown>>(
    q: string,
    opts: { maxRows?: number; signal?: AbortSignal } = {},
  ): Promise<T[]> {
    const maxRows = Math.min(opts.maxRows ?? 100_000, 100_000);
    const limit = Math.min(1000, maxRows);
    const rows: T[] = [];
    for (let offset = 0; rows.length < maxRows; offset += limit) {
      const page = await this.suiteql<T>(q, { limit, offset, ...(opts.signal ? { signal: opts.signal } : {}) });
      rows.push(...page.items);
      if (!page.hasMore || page.items.length === 0) break;
    }
    return rows.slice(0, maxRows);
  }

  /** Sends one request with retries; resolves with 2xx answers and throws a MailroomError for the rest. */
  async request(method: string, path: string, ro: RequestOptions): Promise<RawResponse> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(ro.query ?? {})) url.searchParams.set(k, String(v));
    const requestId = randomUUID();
    const log = this.opts.log.child({ netsuiteRequestId: requestId });
    let unauthorized = 0;
    const allowed401 = this.opts.retry?.auth401Retries ?? 1;
    return netsuiteRetryPolicy(this.opts.retry).execute(async ({ attempt }) => {
      const res = await this.once(method, url, ro, requestId, attempt, log);
      if (res.status >= 200 && res.status < 300) return res;
      const body = parseErrorBody(res.text);
      const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), this.clock());
      const mapped = mapNetSuiteError(res.status, body, {
        what: ro.what,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
      if (res.status === 401 && unauthorized < allowed401) {
        // "Invalid login attempt" is also how NetSuite sometimes says "too many requests". A real auth failure
        // repeats; a concurrency one clears. So: forget the token and try again, a bounded number of times.
        unauthorized++;
        this.opts.auth.invalidate();
        throw new MailroomError('netsuite_concurrency_limit', mapped.message, {
          status: 401,
          remedy: mapped.remedy,
          retryAfterSeconds: 1,
        });
      }
      throw mapped;
    }, ro.signal);
  }

  private async once(
    method: string,
    url: URL,
    ro: RequestOptions,
    requestId: string,
    attempt: number,
    log: Logger,
  ): Promise<RawResponse> {
    const release = await this.opts.governor.acquire();
    const started = Date.now();
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'x-request-id': requestId,
        ...ro.headers,
        authorization: await this.opts.auth.authorize(method, url.toString()),
      };
      if (ro.body !== undefined) headers['content-type'] = 'application/json';
      const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
      const signal = ro.signal ? AbortSignal.any([ro.signal, timeout]) : timeout;
      let res: Response;
      try {
        res = await this.opts.fetch(url, {
          method,
          headers,
          signal,
          ...(ro.body === undefined ? {} : { body: JSON.stringify(ro.body) }),
        });
      } catch (err) {
        if (ro.signal?.aborted) throw err;
        log.warn({ method, path: url.pathname, attempt, err: String(err) }, 'netsuite request did not complete');
        throw new MailroomError('netsuite_unavailable', `NetSuite ${ro.what} did not complete: ${String(err)}`, {
          cause: err,
          remedy: 'Mailroom cannot reach NetSuite right now. It retries on its own; nothing is lost.',
        });
      }
      const text = await res.text();
      // The URL carries no secrets (TBA signs in the header), and the header itself is never logged.
      log.debug(
        { method, path: url.pathname, status: res.status, attempt, ms: Date.now() - started },
        'netsuite request',
      );
      return { status: res.status, headers: res.headers, text };
    } finally {
      await release();
    }
  }
}
