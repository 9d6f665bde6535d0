import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandVerb } from '../../../bot/src/teams/actions.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';

function textOf(card: unknown): string {
  return JSON.stringify(card);
}

function cardOf(post: { activity: Record<string, unknown> } | undefined): unknown {
  return (post?.activity.attachments as Array<{ content: unknown }> | undefined)?.[0]?.content;
}

describe('spine: a shared-mailbox email becomes a card in the channel', () => {
  let h: Harness;
  /** What Graph POSTs for new mail: one created notification per delivered copy. */
  const notificationsFor = (copies: Array<{ userId: string; id: string }>) => {
    const sub = [...h.sandbox.graph.state.subscriptions.values()][0];
    if (!sub) throw new Error('no subscription');
    return copies.map((copy) => ({
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      clientState: sub.clientState,
      changeType: 'created',
      resource: `Users/${copy.userId}/Messages/${copy.id}`,
      tenantId: h.sandbox.tenantId,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Message',
        '@odata.id': `Users/${copy.userId}/Messages/${copy.id}`,
        '@odata.etag': 'W/"1"',
        id: copy.id,
      },
    }));
  };
  const notify = (value: unknown[]) =>
    fetch(`${h.url}/api/graph/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    }).then((r) => r.status);
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
  });
  afterAll(async () => h?.close());

  it('answers /watch with the mailbox, its kind and the channel', async () => {
    const res = await h.watch('support@contoso.com');
    expect(res.status).toBe(200);
    const reply = h.connector.posts.at(-1);
    expect(reply?.op).toBe('reply');
    const card = cardOf(reply);
    expect(validateCard(card)).toEqual([]);
    expect(textOf(card)).toContain('support@contoso.com');
    expect(textOf(card)).toContain('Shared mailbox');
    expect(textOf(card)).toContain('Support');
    expect(textOf(card)).not.toContain('this channel');
    const subs = h.sandbox.graph.state.subscriptions;
    expect([...subs.values()].some((s) => s.resource.toLowerCase().endsWith('/messages'))).toBe(true);
  });

  it('asks before /watch moves a mailbox to another channel, says so once moved, and moves it back', async () => {
    const other = '19:0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e@thread.tacv2';
    const inOther = {
      conversation: { id: `${other};messageid=1763647391999` },
      channelData: { teamsChannelId: other, channel: { id: other } },
    };
    /** The Move button of the confirmation card, clicked in `channel`; the card it answers with, as text. */
    const confirm = async (channel: string, where: Record<string, unknown>) => {
      const res = await h.send(
        activity('cardAction', {
          ...where,
          value: {
            action: {
              type: 'Action.Execute',
              verb: CommandVerb.moveMailbox,
              data: { address: 'support@contoso.com', channel },
            },
          },
        }),
      );
      return JSON.stringify(res.body);
    };
    await h.send(channelCommand('/watch support@contoso.com', inOther));
    expect(textOf(cardOf(h.connector.posts.at(-1)))).toContain('Move support@contoso.com here?');
    const moved = await confirm(other, inOther);
    expect(moved).toContain('support@contoso.com moved here from Support');
    expect(moved).toContain('Replies to emails carded before the move stay in their threads in Support.');
    await h.watch('support@contoso.com');
    expect(textOf(cardOf(h.connector.posts.at(-1)))).toContain('Move support@contoso.com here?');
    expect(await confirm(FIXTURE_IDS.supportChannelId, {})).toContain('support@contoso.com moved here from');
    await h.watch('support@contoso.com');
    expect(textOf(cardOf(h.connector.posts.at(-1)))).toContain('Already watching support@contoso.com');
  });

  it('posts a new thread for a new email, and replies in it for the next one of the conversation', async () => {
    const before = h.connector.posts.length;
    h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      fromName: 'Ana Ruiz',
      subject: 'Order 1042 is late',
    });
    await h.settle();
    const thread = h.connector.posts.slice(before).find((p) => p.op === 'thread');
    expect(thread).toBeDefined();
    const card = cardOf(thread);
    expect(validateCard(card)).toEqual([]);
    expect(textOf(card)).toContain('Order 1042 is late');
    expect(textOf(card)).toContain('ana@fabrikam.com');
    expect(textOf(card)).toContain('Open in Outlook');

    const first = h.sandbox.graph.state.messages.find((m) => m.subject === 'Order 1042 is late');
    h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      subject: 'Re: Order 1042 is late',
      ...(first ? { inReplyTo: first.internetMessageId } : {}),
    });
    await h.settle();
    const reply = h.connector.posts.at(-1);
    expect(reply?.op).toBe('reply');
    expect(reply?.conversationId).toBe(thread?.conversationId);
  });

  it('makes one card for a notification Graph delivers twice', async () => {
    const before = h.connector.posts.filter((p) => p.op === 'thread').length;
    const copies = h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'li@northwind.example',
      subject: 'Duplicate?',
    });
    await h.settle();
    expect(await notify(notificationsFor(copies))).toBe(202);
    await h.settle();
    expect(h.connector.posts.filter((p) => p.op === 'thread').length).toBe(before + 1);
  });

  it('makes one card each for emails read in one Graph batch while Graph delivers each notification twice', async () => {
    const before = h.connector.posts.filter((p) => p.op === 'thread').length;
    const batchesBefore = h.sandbox.graph.state.requests.filter((r) => r.path === '/v1.0/$batch').length;
    h.sandbox.graph.stopNotifications();
    const copies = ['One', 'Two', 'Three', 'Four'].flatMap((s) =>
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'li@northwind.example', subject: `Batch ${s}` }),
    );
    h.sandbox.graph.resumeNotifications();
    const value = notificationsFor(copies);
    expect(await Promise.all([notify(value), notify(value)])).toEqual([202, 202]);
    await h.settle();
    const threads = h.connector.posts.filter((p) => p.op === 'thread').slice(before);
    expect(threads).toHaveLength(4);
    expect(new Set(threads.map((p) => textOf(cardOf(p)).match(/Batch (One|Two|Three|Four)/)?.[1])).size).toBe(4);
    expect(h.sandbox.graph.state.requests.filter((r) => r.path === '/v1.0/$batch').length).toBeGreaterThan(
      batchesBefore,
    );
  });
});
