import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from './loopback-server.js';

/** One message the bot posted, replied or updated, as the Bot Connector received it. */
export interface ConnectorPost {
  op: 'thread' | 'reply' | 'update';
  /** The Teams conversation the message lives in (a thread id for replies and updates). */
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  at: number;
}

/** One call as it reached the fake, for checking the wire shape against docs/wire.md. */
export interface ConnectorRequest {
  method: string;
  /** Decoded path, e.g. `/v3/conversations/19:x@thread.tacv2;messageid=1/activities`. */
  path: string;
  body: Record<string, unknown>;
  status: number;
}

export interface FakeConnector {
  url: string;
  posts: ConnectorPost[];
  /** Every call, answered or refused, in order. */
  requests: ConnectorRequest[];
  /** The card of the latest version of each message, by activity id. */
  cards(): Map<string, Record<string, unknown>>;
  /** The next `count` calls answer `status` (with Retry-After when given). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  failures: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<{ body: Record<string, unknown>; text: string }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
}

/** Teams' message limit: about 100 KB counted in UTF-16 (format-your-bot-messages). */
const MAX_MESSAGE_UTF16_BYTES = 100 * 1024;

/**
 * Why Teams would refuse a new channel thread, per the channel sample (isGroup, channelData.channel.id, an
 * activity), or null. https://learn.microsoft.com/microsoftteams/platform/resources/bot-v3/bot-conversations/bots-conv-proactive
 */
function badThread(body: Record<string, unknown>): string | null {
  if (body.isGroup !== true) return 'isGroup must be true for a channel conversation';
  const channel = (body.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
  if (typeof channel !== 'string' || !channel.startsWith('19:')) return 'channelData.channel.id is required';
  if (typeof body.activity !== 'object' || body.activity === null) return 'activity is required';
  return null;
}

/**
 * A Bot Connector service on loopback, answering the calls a Teams bot makes: create a conversation (a new
 * channel thread), send an activity into a conversation, and update one. It records every post so tests can
 * assert on the cards that reached the channel.
 */
/** The fixture team's Microsoft 365 group (as in test/fixtures/teams and the Graph emulator's seed). */
const TEAM_GROUP_ID = '4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c';

/** The fixture team's other channel (test/fixtures/teams): the one `/watch` runs in. */
const channels = [{ id: '19:5a7e2c1d0b9f4e8d7c6b5a4f3e2d1c0b@thread.tacv2', name: 'Support' }];

export async function startFakeConnector(): Promise<FakeConnector> {
  const posts: ConnectorPost[] = [];
  const requests: ConnectorRequest[] = [];
  let fail = { count: 0, status: 429, retryAfter: undefined as number | undefined };
  let seq = 1_700_000_000_000;
  const state = { failures: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const { body, text } = await readJson(req);
    const seen: ConnectorRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      body,
      status: 0,
    };
    requests.push(seen);
    res.on('finish', () => {
      seen.status = res.statusCode;
    });
    if (Buffer.byteLength(text, 'utf16le') > MAX_MESSAGE_UTF16_BYTES) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'MessageSizeTooBig', message: 'Message size too big' } }));
      return;
    }
    if (fail.count > 0) {
      fail.count--;
      state.failures++;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fail.retryAfter !== undefined) headers['retry-after'] = String(fail.retryAfter);
      res.writeHead(fail.status, headers);
      res.end(JSON.stringify({ error: { code: 'Throttled', message: 'slow down' } }));
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v3/teams/{teamId}: the team's details, with its Microsoft 365 group id.
    if (req.method === 'GET' && parts[0] === 'v3' && parts[1] === 'teams' && parts.length === 3) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: parts[2], name: 'Contoso Support Team', aadGroupId: TEAM_GROUP_ID }));
      return;
    }
    // /v3/teams/{teamId}/conversations: the team's channels with their names (General's name is empty).
    if (req.method === 'GET' && parts[0] === 'v3' && parts[1] === 'teams' && parts[3] === 'conversations') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ conversations: [{ id: parts[2], name: null }, ...channels] }));
      return;
    }
    // /v3/conversations
    if (req.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
      const bad = badThread(body);
      if (bad) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BadArgument', message: bad } }));
        return;
      }
      const channel = ((body.channelData as { channel?: { id?: string } })?.channel?.id ?? 'unknown') as string;
      const activityId = String(seq++);
      const conversationId = `${channel};messageid=${activityId}`;
      posts.push({
        op: 'thread',
        conversationId,
        activityId,
        activity: body.activity as Record<string, unknown>,
        at: Date.now(),
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: conversationId, activityId }));
      return;
    }
    // /v3/conversations/{id}/activities[/{activityId}]
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      const conversationId = parts[2] ?? '';
      if (req.method === 'POST') {
        const activityId = String(seq++);
        posts.push({ op: 'reply', conversationId, activityId, activity: body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: activityId }));
        return;
      }
      if (req.method === 'PUT' && parts[4]) {
        // Only a message that was posted can be updated.
        if (!posts.some((p) => p.activityId === parts[4] && p.op !== 'update')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ error: { code: 'NotFound', message: `No activity ${parts[4]} in ${conversationId}` } }),
          );
          return;
        }
        posts.push({ op: 'update', conversationId, activityId: parts[4], activity: body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: parts[4] }));
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NotFound' } }));
  };

  const server = await serveOnLoopback(handle);
  return {
    url: server.url,
    posts,
    requests,
    get failures() {
      return state.failures;
    },
    cards() {
      const out = new Map<string, Record<string, unknown>>();
      for (const p of posts) {
        const att = (p.activity.attachments as Array<{ content?: Record<string, unknown> }> | undefined)?.[0];
        if (att?.content) out.set(p.activityId, att.content);
      }
      return out;
    },
    failNext(count, status, retryAfterSeconds) {
      fail = { count, status, retryAfter: retryAfterSeconds };
    },
    close: server.close,
  };
}
