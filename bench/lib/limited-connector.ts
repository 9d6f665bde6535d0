import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEAMS_THREAD_WINDOWS, type Window } from '../../bot/src/jobs/pacer.js';

/** One message the bot posted, replied or updated, as the Bot Connector accepted it. */
export interface AcceptedPost {
  op: 'thread' | 'reply' | 'update';
  /** The conversation whose budget the call counts against: the channel for a new thread, else the thread. */
  key: string;
  conversationId: string;
  activityId: string;
  /** The activity as JSON text, so a benchmark can find its marker without walking the card. */
  text: string;
  at: number;
}

export interface LimitedConnector {
  url: string;
  posts: AcceptedPost[];
  /** Calls answered 429 because they went over a window. */
  throttled: number;
  close(): Promise<void>;
}

/** The fixture team's Microsoft 365 group and its Support channel (test/fixtures/teams, the Graph emulator's seed). */
const TEAM_GROUP = '4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c';
const CHANNELS = [{ id: '19:5a7e2c1d0b9f4e8d7c6b5a4f3e2d1c0b@thread.tacv2', name: 'Support' }];

/**
 * A Bot Connector stand-in like test/helpers/fake-connector.ts, but it enforces Teams' per-bot-per-thread limits
 * (by default 7/1 s, 8/2 s, 60/30 s, 1,800/h) and answers 429 to a call over any of them, so a benchmark can
 * count the 429s Mailroom caused. A new thread counts against its channel, a reply or update against its thread:
 * the same unit Mailroom paces by. `windows: []` turns the limits off.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export async function startLimitedConnector(
  opts: { windows?: Window[]; port?: number } = {},
): Promise<LimitedConnector> {
  const windows = opts.windows ?? TEAMS_THREAD_WINDOWS;
  const posts: AcceptedPost[] = [];
  const sent = new Map<string, number[]>();
  const state = { throttled: 0 };
  let seq = 1_700_000_000_000;

  const allowed = (key: string, now: number): boolean => {
    const times = sent.get(key) ?? [];
    for (const w of windows) {
      if (times.filter((t) => t > now - w.ms).length >= w.max) return false;
    }
    times.push(now);
    sent.set(key, times);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const parts = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    // The team's details and channel names, which Mailroom reads once per team (as the test connector answers).
    if (req.method === 'GET' && parts[0] === 'v3' && parts[1] === 'teams' && parts[2]) {
      if (parts.length === 3) return json(200, { id: parts[2], name: 'Contoso Support Team', aadGroupId: TEAM_GROUP });
      if (parts[3] === 'conversations')
        return json(200, { conversations: [{ id: parts[2], name: null }, ...CHANNELS] });
    }
    const isCreate = req.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations';
    const isActivity = parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities';
    if (!isCreate && !isActivity) return json(404, { error: { code: 'NotFound' } });
    const channel = ((body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? '') as string;
    const key = isCreate ? channel : (parts[2] ?? '');
    const now = Date.now();
    if (!allowed(key, now)) {
      state.throttled++;
      return json(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': '1' });
    }
    if (isCreate) {
      const activityId = String(seq++);
      const conversationId = `${channel};messageid=${activityId}`;
      posts.push({ op: 'thread', key, conversationId, activityId, text: JSON.stringify(body.activity), at: now });
      return json(201, { id: conversationId, activityId });
    }
    if (req.method === 'POST') {
      const activityId = String(seq++);
      posts.push({ op: 'reply', key, conversationId: key, activityId, text, at: now });
      return json(200, { id: activityId });
    }
    if (req.method === 'PUT' && parts[4]) {
      posts.push({ op: 'update', key, conversationId: key, activityId: parts[4], text, at: now });
      return json(200, { id: parts[4] });
    }
    return json(404, { error: { code: 'NotFound' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    posts,
    get throttled() {
      return state.throttled;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
