import { Client, type GraphRequest, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { MailroomError } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { AppTokenProvider, Clock, FetchFn } from './app-token-provider.js';
import { type GraphTarget, graphFailure } from './graph-failure.js';
import { FetchHandler, MailroomHeadersMiddleware } from './graph-middleware.js';

/** A thin layer over the Graph client: builds requests, and turns every failure into a MailroomError. */
export interface GraphCaller {
  /** A path under the version root (`/users/…`), or an absolute nextLink/deltaLink that Graph returned. */
  api(pathOrLink: string): GraphRequest;
  run<T>(target: GraphTarget, what: string, send: () => Promise<T>): Promise<T>;
  readonly clock: Clock;
}

export interface GraphCallerOptions {
  /** GRAPH_BASE_URL, version included: https://graph.microsoft.com/v1.0 or http://127.0.0.1:PORT/v1.0 */
  baseUrl: string;
  tokens: AppTokenProvider;
  fetch: FetchFn;
  log: Logger;
  clock: Clock;
  /** Retries of 429/503/504 by the library's RetryHandler, which honours Retry-After. */
  maxRetries?: number;
}

/** `https://graph.microsoft.com/v1.0` → host `https://graph.microsoft.com`, version `v1.0`. */
export function splitGraphBaseUrl(baseUrl: string): { host: string; version: string } {
  const url = new URL(baseUrl.replace(/\/+$/, ''));
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const version = parts.pop() ?? 'v1.0';
  const prefix = parts.length > 0 ? `/${parts.join('/')}` : '';
  return { host: `${url.origin}${prefix}`, version };
}

export function createGraphCaller(opts: GraphCallerOptions): GraphCaller {
  const { host, version } = splitGraphBaseUrl(opts.baseUrl);
  // https://learn.microsoft.com/graph/throttling: wait for Retry-After, then try again.
  const retry = new RetryHandler(new RetryHandlerOptions(1, opts.maxRetries ?? 3));
  const client = Client.initWithMiddleware({
    baseUrl: host,
    defaultVersion: version,
    middleware: [retry, new MailroomHeadersMiddleware(opts.tokens), new FetchHandler(opts.fetch, opts.log)],
  });
  const versionRoot = `${host}/${version}`;

  return {
    clock: opts.clock,
    api(pathOrLink) {
      if (!/^https?:\/\//i.test(pathOrLink)) return client.api(pathOrLink);
      // The library only parses https links itself; strip our own root so loopback links work too.
      if (!pathOrLink.startsWith(versionRoot)) {
        throw new MailroomError(
          'graph_error',
          `Refusing to follow a link outside GRAPH_BASE_URL: ${new URL(pathOrLink).origin}`,
          {
            remedy: 'Set GRAPH_BASE_URL to the Graph root whose links Mailroom follows (https://graph.microsoft.com).',
          },
        );
      }
      return client.api(pathOrLink.slice(versionRoot.length) || '/');
    },
    async run(target, what, send) {
      try {
        // Fetch (or reuse) the token first, so a credentials problem surfaces as itself, not wrapped.
        await opts.tokens.getToken();
        return await send();
      } catch (err) {
        throw graphFailure(err, target, what);
      }
    },
  };
}
