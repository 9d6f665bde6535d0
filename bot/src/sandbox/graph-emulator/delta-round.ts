import type { EmuContext } from './context.js';
import type { Req } from './http.js';

/**
 * Where a delta round stands, carried in the `$skiptoken` / `$deltatoken` Graph hands back: the state epoch (a
 * reset invalidates every token), the watermark of the last finished round, the high mark of this one, the last
 * change already sent, and the round's `$select` and `$filter` (Graph encodes the first request's options into
 * its links). https://learn.microsoft.com/graph/delta-query-overview
 */
export interface RoundToken {
  e: number;
  w: number;
  h: number;
  a: number;
  s: string | null;
  f: string | null;
}

export interface Change {
  seq: number;
  json: Record<string, unknown>;
}

const encode = (t: RoundToken) => Buffer.from(JSON.stringify(t)).toString('base64url');

function decode(raw: string): RoundToken | null {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as RoundToken;
    return typeof t.e === 'number' && typeof t.w === 'number' ? t : null;
  } catch {
    return null;
  }
}

/** The round this request continues or starts, or null (410 SyncStateNotFound) for an unknown or reset token. */
export function roundOf(req: Req, ctx: EmuContext): RoundToken | null {
  const raw = req.query.get('$skiptoken') ?? req.query.get('$deltatoken');
  if (raw === null) {
    return {
      e: ctx.state.deltaEpoch,
      w: 0,
      h: ctx.state.seq,
      a: 0,
      s: req.query.get('$select'),
      f: req.query.get('$filter'),
    };
  }
  const t = decode(raw);
  if (!t || t.e !== ctx.state.deltaEpoch) return null;
  // A deltaLink starts a new round: everything after its watermark, up to now.
  return req.query.has('$deltatoken') ? { ...t, h: ctx.state.seq, a: t.w } : t;
}

export const SYNC_STATE_NOT_FOUND = {
  status: 410,
  body: { error: { code: 'SyncStateNotFound', message: 'The sync state generation is not found.' } },
};

/** `changes` in order, cut to the page size; a `@odata.nextLink` while more remain, then the `@odata.deltaLink`. */
export function roundPage(
  req: Req,
  token: RoundToken,
  changes: Change[],
  link: string,
  context: string,
): { status: number; body: unknown } {
  const all = changes.filter((c) => c.seq > token.a && c.seq <= token.h).sort((x, y) => x.seq - y.seq);
  const pageSize = Math.min(req.maxPageSize ?? 10, 1000);
  const page = all.slice(0, pageSize);
  const body: Record<string, unknown> = { '@odata.context': context, value: page.map((p) => p.json) };
  const last = page[page.length - 1];
  if (all.length > pageSize && last)
    body['@odata.nextLink'] = `${link}?$skiptoken=${encode({ ...token, a: last.seq })}`;
  else body['@odata.deltaLink'] = `${link}?$deltatoken=${encode({ ...token, w: token.h, a: token.h })}`;
  return { status: 200, body };
}
