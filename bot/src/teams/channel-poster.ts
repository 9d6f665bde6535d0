import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import type { ChannelPoster, PostedCard } from '../core/ports.js';
import type { Pacer } from '../jobs/pacer.js';
import { httpRetryPolicy, parseRetryAfter } from '../jobs/retry-policy.js';
import type { ConversationRepo } from '../store/repos/conversations.js';

/** The statuses Teams asks bots to retry: throttled, precondition (a concurrent update), and gateway faults. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (n: string) => string | undefined } } })?.response?.headers;
  return parseRetryAfter(headers?.get?.('retry-after'));
}

const policy = httpRetryPolicy({
  retryable: (err) => RETRYABLE.has(statusOf(err) ?? 0),
  retryAfterMs: retryAfterOf,
  maxAttempts: 4,
});

/** Turns a connector failure into a coded error the job runner knows how to retry or report. */
function toTeamsError(err: unknown): MailroomError {
  const status = statusOf(err);
  const retryAfterMs = retryAfterOf(err);
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  const after = retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {};
  if (status === 429) return new MailroomError('teams_throttled', 'Teams is throttling the bot', { ...opts, ...after });
  if (status !== undefined && RETRYABLE.has(status)) {
    return new MailroomError('teams_unavailable', `Teams answered ${status}`, { ...opts, ...after });
  }
  if (status === 413) {
    return new MailroomError('teams_message_too_large', 'The card is larger than Teams accepts', {
      ...opts,
      remedy: 'The email card was too large to post; open the email in Outlook.',
    });
  }
  if (status === 403 || status === 404) {
    return new MailroomError('teams_error', `Teams refused the post (${status})`, {
      ...opts,
      remedy: 'Mailroom may have been removed from this team or channel. Add it again, then run /watch in the channel.',
    });
  }
  return new MailroomError('internal', err instanceof Error ? err.message : String(err), opts);
}

function cardActivity(card: object): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * Posts, replies and updates cards proactively through the Bot Connector, paced per thread through the
 * database and retried on 429/412/502/504 with backoff that honours Retry-After.
 */
export class TeamsChannelPoster implements ChannelPoster {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: ConversationRepo;
      pacer: Pacer;
      log: Logger;
    },
  ) {}

  async postThread(input: { tenantId: string; channelConversationId: string; card: object }): Promise<PostedCard> {
    const ref = await this.reference(input.tenantId, input.channelConversationId);
    const channelId = (ref.conversation?.id ?? '').split(';')[0] ?? '';
    return this.send(input.tenantId, channelId, ref, async (ctx) => {
      const client = this.connector(ctx);
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: ref.bot,
        tenantId: input.tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: input.tenantId } },
        activity: cardActivity(input.card) as Activity,
        members: [],
      });
      return { teamsConversationId: created.id, activityId: created.activityId ?? rootOf(created.id) };
    });
  }

  async replyInThread(input: { tenantId: string; threadConversationId: string; card: object }): Promise<PostedCard> {
    const channelConversationId = input.threadConversationId.split(';')[0] ?? input.threadConversationId;
    const base = await this.reference(input.tenantId, channelConversationId);
    const ref = { ...base, conversation: { ...base.conversation, id: input.threadConversationId } };
    return this.send(input.tenantId, input.threadConversationId, ref as ConversationReference, async (ctx) => {
      const sent = await ctx.sendActivity(cardActivity(input.card));
      return { teamsConversationId: input.threadConversationId, activityId: sent?.id ?? '' };
    });
  }

  async updateCard(input: { tenantId: string; teamsConversationId: string; activityId: string; card: object }) {
    const channelConversationId = input.teamsConversationId.split(';')[0] ?? input.teamsConversationId;
    const base = await this.reference(input.tenantId, channelConversationId);
    const ref = { ...base, conversation: { ...base.conversation, id: input.teamsConversationId } };
    await this.send(input.tenantId, input.teamsConversationId, ref as ConversationReference, async (ctx) => {
      await ctx.updateActivity({ ...cardActivity(input.card), id: input.activityId, type: ActivityTypes.Message });
      return null;
    });
  }

  private async send<T>(
    tenantId: string,
    paceKey: string,
    ref: ConversationReference,
    action: (ctx: TurnContext) => Promise<T>,
  ): Promise<T> {
    try {
      return await policy.execute(async () => {
        await this.deps.pacer.take(tenantId, `teams:${paceKey}`);
        let result: T | undefined;
        await this.deps.adapter.continueConversationAsync(this.deps.botAppId, ref, async (ctx) => {
          result = await action(ctx);
        });
        return result as T;
      });
    } catch (err) {
      throw toTeamsError(err);
    }
  }

  private connector(ctx: TurnContext): ConnectorClient {
    const client = ctx.turnState.get<ConnectorClient>(this.deps.adapter.ConnectorClientKey);
    if (!client) throw new Error('no connector client in the proactive turn');
    return client;
  }

  private async reference(tenantId: string, conversationId: string): Promise<ConversationReference> {
    const row = await this.deps.conversations.get(tenantId, conversationId);
    if (!row) {
      throw new MailroomError('teams_error', `Mailroom is not installed in conversation ${conversationId}`, {
        remedy: 'Add Mailroom to the team again, then run /watch in the channel that should get the cards.',
      });
    }
    return row.reference as Partial<ConversationReference> as ConversationReference;
  }
}

/** `19:x@thread.tacv2;messageid=123` → `123`. */
function rootOf(conversationId: string): string {
  return /;messageid=(\d+)/.exec(conversationId)?.[1] ?? '';
}
