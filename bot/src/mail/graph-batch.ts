import { BatchRequestContent, BatchResponseContent, GraphError } from '@microsoft/microsoft-graph-client';
import { retryAfterSeconds } from '../core/retry-after.js';
import { type Backoff, backoffMs } from '../core/retry-policy.js';
import { IMMUTABLE_ID_PREFERENCE } from './graph-middleware.js';

/** https://learn.microsoft.com/graph/json-batching#batch-size-limitations */
export const MAX_BATCH_REQUESTS = 20;
/** What Graph asks to be retried after its Retry-After, per item as for a request of its own. */
const RETRYABLE = new Set([429, 503, 504]);
/** A longer Retry-After fails the item at once: its job waits that long instead of holding a worker slot. */
const MAX_WAIT_MS = 30_000;
/** An item throttled without a Retry-After waits as Mailroom's one backoff says: about 2, 4, then 8 s. */
const ITEM_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 8_000 };

export interface GraphGetBatcherOptions {
  /** One GET on its own: a lone request keeps the plain path (and the library's own retries). */
  single(path: string): Promise<unknown>;
  /** POST /$batch with this body; resolves with the answer's JSON. */
  batch(body: unknown): Promise<unknown>;
  /** Retries of one throttled item (default 3), each after that item's own Retry-After. */
  maxRetries?: number;
  wait?: (ms: number) => Promise<void>;
  clock?: () => Date;
}

interface Pending {
  path: string;
  tries: number;
  resolve(body: unknown): void;
  reject(err: unknown): void;
}

function itemError(status: number, body: unknown, headers: Headers): GraphError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const err = new GraphError(status, typeof e?.message === 'string' ? e.message : `Graph answered ${status}`);
  err.code = typeof e?.code === 'string' ? e.code : null;
  err.headers = headers;
  err.body = body === undefined ? null : JSON.stringify(body);
  return err;
}

/** A 424 batch answer still carries every item's own answer (the throttling page's reading); anything else throws. */
function batchAnswer(err: unknown): unknown {
  const body = err instanceof GraphError && err.statusCode === 424 ? (err.body as unknown) : undefined;
  if (typeof body === 'object' && body !== null && Array.isArray((body as { responses?: unknown }).responses)) {
    return body;
  }
  throw err;
}

/**
 * GETs made in the same turn of the event loop (a worker taking several ingest jobs at once) go to Graph as one JSON
 * batch of up to 20 (https://learn.microsoft.com/graph/json-batching, docs/wire.md G24), built and read with the
 * Graph library's BatchRequestContent and BatchResponseContent. Each item keeps its own outcome: a 404 rejects that
 * item alone; a throttled item (429, 503, 504) is sent again after its own Retry-After, since the library retries
 * batched items for nobody (https://learn.microsoft.com/graph/throttling#throttling-and-batching).
 */
export class GraphGetBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly maxRetries: number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly clock: () => Date;

  constructor(private readonly o: GraphGetBatcherOptions) {
    this.maxRetries = o.maxRetries ?? 3;
    this.wait = o.wait ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.clock = o.clock ?? (() => new Date());
  }

  /** `path` is relative to the version root, query included: `/users/{id}/messages/{id}?$select=…`. */
  get(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.enqueue({ path, tries: 0, resolve, reject }));
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_BATCH_REQUESTS);
      const [only] = group;
      if (group.length === 1 && only) this.o.single(only.path).then(only.resolve, only.reject);
      else void this.send(group);
    }
  }

  private async send(group: Pending[]): Promise<void> {
    let answers: BatchResponseContent;
    try {
      // Each item's url is relative to the version root (/users/…): the library keeps the path after the origin.
      const steps = group.map((p, i) => ({
        id: String(i + 1),
        request: new Request(`https://graph.invalid${p.path}`, {
          method: 'GET',
          headers: { Prefer: IMMUTABLE_ID_PREFERENCE },
        }),
      }));
      const body = await new BatchRequestContent(steps).getContent();
      answers = new BatchResponseContent((await this.o.batch(body).catch(batchAnswer)) as never);
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    await Promise.all(group.map((p, i) => this.settle(p, answers.getResponseById(String(i + 1)))));
  }

  private async settle(p: Pending, answer: Response | undefined): Promise<void> {
    if (!answer) {
      p.reject(new GraphError(-1, 'Graph left this request out of its batch answer'));
      return;
    }
    const text = await answer.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (answer.ok) {
      p.resolve(body);
      return;
    }
    const delayMs = backoffMs(
      p.tries + 1,
      ITEM_BACKOFF,
      retryAfterSeconds(answer.headers.get('retry-after'), this.clock()),
    );
    if (RETRYABLE.has(answer.status) && p.tries < this.maxRetries && delayMs <= MAX_WAIT_MS) {
      p.tries += 1;
      await this.wait(delayMs);
      this.enqueue(p);
      return;
    }
    p.reject(itemError(answer.status, body, answer.headers));
  }
}
