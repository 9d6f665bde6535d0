import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main as sandboxEmail } from '../../bot/src/sandbox/cli.js';
import { SANDBOX_TENANT_ID } from '../../bot/src/sandbox/graph-seed.js';
import { installInTeam, launchPlayground, type RunningPlayground } from '../../bot/src/sandbox/playground.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * The README walk-through in the real Microsoft 365 Agents Playground: Mailroom runs in-process (harness), and
 * the Playground, not the fake connector, is Teams. What reached the channel is read from the Playground's own
 * conversation stream, the one its web page draws from.
 */
const BOT_ID = '28:mailroom-playground-bot';
const TEAM = '19:contoso-support-team-general@thread.tacv2';
const SUPPORT = '19:contoso-support-team-support@thread.tacv2';

interface StreamEvent {
  action: 'createMessage' | 'updateMessage' | string;
  actionConversationId: string;
  message: { messageId: string; attachments?: { content?: unknown }[] };
  at: number;
}

function cardText(e: StreamEvent): string {
  return JSON.stringify(e.message.attachments?.[0]?.content ?? {});
}

let h: Harness;
let pg: RunningPlayground | undefined;
let ws: WebSocket | undefined;
let unavailable = '';
const events: StreamEvent[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mailroom-playground-'));

async function until(what: string, pick: () => StreamEvent | undefined, ms = 10_000): Promise<StreamEvent> {
  const end = Date.now() + ms;
  for (;;) {
    const e = pick();
    if (e) return e;
    if (Date.now() > end) throw new Error(`the Playground never showed ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function email(...args: string[]): Promise<number> {
  const graphPort = new URL(h.sandbox.graph.url).port;
  const at = Date.now();
  const code = await sandboxEmail(['email', '--to', 'support@contoso.com', '--from', 'ana@fabrikam.com', ...args], {
    SANDBOX_GRAPH_PORT: graphPort,
  });
  expect(code).toBe(0);
  return at;
}

beforeAll(async () => {
  // The Playground speaks for the tenant of .m365agentsplayground.yml: the sandbox's own.
  h = await startHarness({ env: { BOT_TENANT_ID: SANDBOX_TENANT_ID } });
  try {
    pg = await launchPlayground({
      botEndpoint: `${h.url}/api/messages`,
      port: 0,
      logFile: join(dir, 'playground.log'),
      cwd: dir,
    });
  } catch (err) {
    // The first line says why; the Playground's whole output follows it.
    unavailable = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return;
  }
  const socket = new WebSocket(`ws://127.0.0.1:${pg.port}/_ws_conversation/v1/conversations/stream`);
  ws = socket;
  socket.on('message', (data) => {
    const e = JSON.parse(String(data)) as Omit<StreamEvent, 'at'>;
    if (e.action && e.message) events.push({ ...e, at: Date.now() });
  });
  await new Promise<void>((ok, fail) => {
    socket.once('open', () => ok());
    socket.once('error', fail);
  });
}, 60_000);

afterAll(async () => {
  ws?.close();
  await pg?.stop();
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the README walk-through in the Agents Playground', () => {
  it('installs, watches, posts the email as a new thread, threads the reply and saves to NetSuite', async (ctx) => {
    if (!pg) return ctx.skip(`the Agents Playground cannot start here: ${unavailable}`);
    const base = pg.base;

    // The team's install event reaches Mailroom and its reference is stored for proactive posts.
    const team = await installInTeam(base);
    expect(team?.id).toBe(TEAM);
    // The Playground answers before the bot has handled the events, so look until they are stored.
    await expect
      .poll(() => h.mailroom.db.kysely.selectFrom('conversations').select(['tenant_id', 'conversation_id']).execute(), {
        timeout: 5000,
      })
      .toContainEqual({ tenant_id: h.sandbox.tenantId, conversation_id: TEAM });

    // In the Support channel: @Mailroom /watch support@contoso.com, as a new post.
    const posted = await fetch(`${base}/_conversation/v1/conversations/${encodeURIComponent(SUPPORT)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: { id: '29:playground-adele' },
        text: '<at>Mailroom</at> /watch support@contoso.com',
        textFormat: 'plain',
        mentions: [{ mentioned: { id: BOT_ID }, text: '<at>Mailroom</at>' }],
      }),
    });
    const post = (await posted.json()) as { postConversationId: string };
    const answer = await until('the /watch answer', () =>
      events.find((e) => e.action === 'createMessage' && e.actionConversationId === post.postConversationId),
    );
    expect(cardText(answer)).toContain('Now watching support@contoso.com');
    expect(cardText(answer)).toContain('Shared mailbox');
    expect.soft(cardText(answer)).toContain('"title":"Posts to","value":"Support"');

    // An email becomes a card in the Support channel as a new thread (its own conversation id) within 2 s.
    const sentAt = await email('--subject', 'Order 1042 is late');
    const card = await until('the email card', () =>
      events.find((e) => e.action === 'createMessage' && e.actionConversationId === SUPPORT),
    );
    expect(card.at - sentAt, 'ms from sending the mail to the card in the channel').toBeLessThan(2000);
    expect(cardText(card)).toContain('Order 1042 is late');
    expect(cardText(card)).toContain('ana@fabrikam.com');
    expect(cardText(card)).toContain('Open in Outlook');
    const thread = `${SUPPORT};messageid=${card.message.messageId}`;

    // The reply lands in that thread, and no second thread is started.
    await email('--subject', 'Re: Order 1042 is late', '--reply');
    const reply = await until('the reply card', () =>
      events.find((e) => e.action === 'createMessage' && e.actionConversationId === thread),
    );
    expect(cardText(reply)).toContain('Re: Order 1042 is late');
    expect(events.filter((e) => e.action === 'createMessage' && e.actionConversationId === SUPPORT)).toHaveLength(1);

    // "Save to NetSuite" with the suggested contact, clicked through the Playground: the card reads "Saved to …".
    const suggested = await until('the suggestions on the card', () =>
      events.find(
        (e) => e.message.messageId === card.message.messageId && cardText(e).includes('"value":"contact:201"'),
      ),
    );
    const emailId = /"verb":"save"[^}]*"emailId":"([^"]+)"/.exec(cardText(suggested))?.[1];
    expect(emailId).toBeTruthy();
    const clicked = await fetch(`${base}/_conversation/v1/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'adaptiveCard/action',
        value: {
          action: { type: 'Action.Execute', verb: 'save', data: { emailId, records: 'contact:201' } },
          trigger: 'manual',
        },
        from: { id: '29:playground-adele' },
        conversation: { id: thread },
        replyToId: card.message.messageId,
      }),
    });
    expect(clicked.status).toBe(200);
    const saved = await until('the saved card', () =>
      events.find(
        (e) =>
          e.action === 'updateMessage' &&
          e.message.messageId === card.message.messageId &&
          cardText(e).includes('Saved to'),
      ),
    );
    expect(cardText(saved)).toContain('Ana Ruiz');
    expect(cardText(saved)).toContain('Adele Vance');
    expect(cardText(saved)).toContain('Save to another record');
    const filed = h.sandbox.graph.state.messages.find((m) => m.subject === 'Order 1042 is late');
    await expect.poll(() => filed?.categories, { timeout: 5000 }).toContain('Saved to NetSuite');
  }, 60_000);
});
