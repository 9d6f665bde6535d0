import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../log.js';
import type { AppTokenProvider, FetchFn } from './app-token-provider.js';

/** Graph's default message id changes when a message moves folders; the immutable one does not. */
export const IMMUTABLE_ID_PREFERENCE = 'IdType="ImmutableId"';

type HeaderBag = Record<string, string>;

function headerBag(context: Context): HeaderBag {
  context.options ??= {};
  const raw = context.options.headers;
  const bag: HeaderBag = {};
  if (raw instanceof Headers) {
    raw.forEach((v, k) => {
      bag[k] = v;
    });
  } else if (Array.isArray(raw)) {
    for (const [k, v] of raw) if (k !== undefined && v !== undefined) bag[k] = v;
  } else if (raw) {
    Object.assign(bag, raw);
  }
  context.options.headers = bag;
  return bag;
}

function getHeader(bag: HeaderBag, name: string): string | undefined {
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : bag[key];
}

function setHeader(bag: HeaderBag, name: string, value: string): void {
  for (const k of Object.keys(bag)) if (k.toLowerCase() === name.toLowerCase()) delete bag[k];
  bag[name] = value;
}

/**
 * Adds the app-only bearer token, `Prefer: IdType="ImmutableId"` (merged with any other preference, such as
 * odata.maxpagesize) and a `client-request-id` to every request, subscriptions and delta included.
 * https://learn.microsoft.com/graph/outlook-immutable-id
 * The library's own AuthenticationHandler only signs https Graph hosts, so it would skip the loopback emulator.
 */
export class MailroomHeadersMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly tokens: AppTokenProvider) {}

  async execute(context: Context): Promise<void> {
    const bag = headerBag(context);
    setHeader(bag, 'Authorization', `Bearer ${await this.tokens.getToken()}`);
    const prefer = getHeader(bag, 'Prefer');
    if (!prefer?.includes('IdType=')) {
      setHeader(bag, 'Prefer', prefer ? `${IMMUTABLE_ID_PREFERENCE}, ${prefer}` : IMMUTABLE_ID_PREFERENCE);
    }
    if (!getHeader(bag, 'client-request-id')) setHeader(bag, 'client-request-id', randomUUID());
    // An assert on how the client is built (graph-caller.ts chains this before the HTTP middleware).
    if (!this.next) throw new Error('MailroomHeadersMiddleware needs a next middleware');
    await this.next.execute(context);
    if (context.response?.status === 401) this.tokens.invalidate();
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The end of the chain: sends the request on the injected fetch (the library's handler uses the global one). */
export class FetchHandler implements Middleware {
  constructor(
    private readonly doFetch: FetchFn,
    private readonly log: Logger,
  ) {}

  async execute(context: Context): Promise<void> {
    const started = Date.now();
    const bag = context.options?.headers as HeaderBag | undefined;
    context.response = await this.doFetch(context.request, context.options as RequestInit);
    this.log.debug(
      {
        method: context.options?.method ?? 'GET',
        url: typeof context.request === 'string' ? context.request.split('?')[0] : context.request.url,
        status: context.response.status,
        ms: Date.now() - started,
        clientRequestId: bag ? getHeader(bag, 'client-request-id') : undefined,
        requestId: context.response.headers.get('request-id') ?? undefined,
      },
      'graph request',
    );
  }
}
