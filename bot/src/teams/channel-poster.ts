import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  MessageFactory,
  TurnContext,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from 'pino';
import { MailroomError } from '../core/errors.js';
import type { ChannelPoster, PostedCard } from '../core/ports.js';
import type { Pacer } from '../jobs/pacer.js';
import type { ConversationRepo } from '../store/repos/conversations.js';
import { checkActivitySize, connectorRetry, statusOf, toTeamsError } from './connector-failure.js';

function cardActivity(card: object): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/** `19:x@thread.tacv2;messageid=123` → `19:x@thread.tacv2`: the channel a thread (or the channel itself) is in. */
function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/**
 * Posts, replies and updates cards proactively through the Bot Connector (docs/wire.md B04 to B06), paced per
 * conversation through the database and retried on 429/412/502/503/504 with backoff that honours Retry-After.
 * Replies and updates go straight to the connector: TurnContext would stamp them with the proactive turn's own
 * random activity id as `replyToId`, which names no message in the thread.
 */
export class TeamsChannelPoster implements ChannelPoster {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: ConversationRepo;
      pacer: Pacer;
      log: Logger;
    },
  ) {}

  /**
   * B04: `POST /v3/conversations` with the channel in channelData, as Microsoft's channel sample sends it (no
   * `members`). https://learn.microsoft.com/microsoftteams/platform/resources/bot-v3/bot-conversations/bots-conv-proactive
   */
  async postThread(input: { tenantId: string; channelConversationId: string; card: object }): Promise<PostedCard> {
    const ref = await this.reference(input.tenantId, input.channelConversationId);
    const channelId = channelOf(ref.conversation?.id ?? '');
    const activity = { ...cardActivity(input.card), type: ActivityTypes.Message };
    checkActivitySize(activity);
    return this.send(input.tenantId, channelId, ref, async (client) => {
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: ref.bot,
        tenantId: input.tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: input.tenantId } },
        activity: activity as Activity,
      });
      return { teamsConversationId: created.id, activityId: created.activityId ?? rootOf(created.id) };
    });
  }

  /**
   * B05: a send to the thread's own conversation id (`<channel>;messageid=<root>`), as Teams' SDK threads a
   * proactive reply. https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#send-to-conversation
   */
  async replyInThread(input: { tenantId: string; threadConversationId: string; card: object }): Promise<PostedCard> {
    const ref = await this.threadReference(input.tenantId, input.threadConversationId);
    const activity = outgoing(ref, input.card);
    checkActivitySize(activity);
    return this.send(input.tenantId, input.threadConversationId, ref, async (client) => {
      const sent = await client.conversations.sendToConversation(input.threadConversationId, activity as Activity);
      return { teamsConversationId: input.threadConversationId, activityId: sent?.id ?? '' };
    });
  }

  /** B06: `PUT /v3/conversations/{id}/activities/{activityId}` with the whole new activity, for everyone. */
  async updateCard(input: { tenantId: string; teamsConversationId: string; activityId: string; card: object }) {
    const ref = await this.threadReference(input.tenantId, input.teamsConversationId);
    const activity = { ...outgoing(ref, input.card), id: input.activityId };
    checkActivitySize(activity);
    await this.send(input.tenantId, input.teamsConversationId, ref, async (client) => {
      await client.conversations.updateActivity(input.teamsConversationId, input.activityId, activity as Activity);
      return null;
    });
  }

  /**
   * One paced, retried call, paced per conversation it addresses: the channel for a new thread, the reply chain
   * (`<channel>;messageid=<root>`) for a reply or an update. Teams' page counts "a conversation" and names "a
   * channel in a team" as one; on the wire each reply chain is its own conversation id. Should Teams count the
   * whole channel, its 429 and Retry-After slow Mailroom down instead (docs/wire.md, Bot Connector limits).
   * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
   */
  private async send<T>(
    tenantId: string,
    conversationId: string,
    ref: ConversationReference,
    action: (client: ConnectorClient) => Promise<T>,
  ): Promise<T> {
    try {
      return await connectorRetry.execute(async () => {
        const client = await this.client(ref);
        // The slot is taken with the connector client in hand, and counted until the call's answer: the pacer's
        // window is then the one Teams counts in.
        return await this.deps.pacer
          .pace(tenantId, `teams:${conversationId}`, () => action(client))
          .catch((err) => {
            // A refused token: the next call builds its client, and so its credentials, afresh.
            if (statusOf(err) === 401) this.clients.delete(ref.serviceUrl);
            throw err;
          });
      });
    } catch (err) {
      throw toTeamsError(err);
    }
  }

  /**
   * One connector client per service URL, kept: the adapter builds a new one (credentials, HTTP pipeline) for every
   * proactive turn, which was an eighth of the worker's CPU in a burst of cards. The client's credentials fetch and
   * renew their token by themselves, per request.
   */
  private client(ref: ConversationReference): Promise<ConnectorClient> {
    let client = this.clients.get(ref.serviceUrl);
    if (!client) {
      client = this.openClient(ref);
      this.clients.set(ref.serviceUrl, client);
      client.catch(() => this.clients.delete(ref.serviceUrl));
    }
    return client;
  }

  private async openClient(ref: ConversationReference): Promise<ConnectorClient> {
    let client: ConnectorClient | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, ref, async (ctx) => {
      client = ctx.turnState.get<ConnectorClient>(this.deps.adapter.ConnectorClientKey);
    });
    // An assert: the adapter sets the client on every proactive turn, so only a Mailroom defect lands here.
    if (!client) throw new Error('no connector client in the proactive turn');
    return client;
  }

  /** The channel's stored reference, pointed at one thread in it. */
  private async threadReference(tenantId: string, threadConversationId: string): Promise<ConversationReference> {
    const base = await this.reference(tenantId, channelOf(threadConversationId));
    return { ...base, conversation: { ...base.conversation, id: threadConversationId } };
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

/**
 * The card as a message from the bot into the referenced conversation, the way TurnContext addresses a send,
 * but without `replyToId`: the stored reference's activity id is the install event's, not a message's.
 */
function outgoing(ref: ConversationReference, card: object): Partial<Activity> {
  const { activityId: _installEvent, ...address } = ref;
  return TurnContext.applyConversationReference(
    { ...cardActivity(card), type: ActivityTypes.Message },
    address as ConversationReference,
  );
}

/** `19:x@thread.tacv2;messageid=123` → `123`. */
function rootOf(conversationId: string): string {
  return /;messageid=(\d+)/.exec(conversationId)?.[1] ?? '';
}
