import { TeamsAdapter } from '@microsoft/teams-ai';
import type {
  Activity,
  ConfigurationBotFrameworkAuthenticationOptions,
  ConversationReference,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  type ConnectorClient,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Config } from '../config.js';
import { MailroomError } from '../core/errors.js';

type Logic = (context: TurnContext) => Promise<void>;

/** Errors that jsonwebtoken throws for a bad token. CloudAdapter answers them 500 unless they become 401s. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * The ConfigurationBotFrameworkAuthentication settings for this bot. An empty app id turns auth off (Playground,
 * sandbox). Setting any "parameterized" value (the OpenID metadata URL, the issuer) makes botframework-connector
 * drop all its public-cloud defaults (BotFrameworkAuthenticationFactory.create), so the test hooks restate every one.
 */
export function botAuthSettings(bot: Config['bot']): ConfigurationBotFrameworkAuthenticationOptions {
  if (bot.appId.trim() === '') {
    // SingleTenant and MSI assert that an app id is present, so auth-off is always MultiTenant.
    return { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' };
  }
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.password,
    MicrosoftAppType: bot.type === 'UserAssignedMSI' ? 'UserAssignedMsi' : bot.type,
    MicrosoftAppTenantId: bot.tenantId,
  };
  if (bot.openIdMetadata === undefined && bot.tokenIssuer === undefined) return settings;
  return {
    ...settings,
    ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadata ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: bot.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  };
}

/**
 * TeamsAdapter whose bad tokens always get 401. Stock CloudAdapter turns only AuthenticationError into 401: a token
 * signed by a stranger's key under a known kid makes jsonwebtoken throw "invalid signature", which it answers 500.
 */
class MailroomTeamsAdapter extends TeamsAdapter {
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(auth, activity, logic);
    let result: AuthenticateRequestResult;
    try {
      result = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (err) {
      if (err instanceof Error && JWT_ERRORS.has(err.name)) {
        throw new AuthenticationError(`Unauthorized: ${err.message}`, 401);
      }
      throw err;
    }
    return super.processActivity(result, activity, logic);
  }
}

/**
 * The Bot Framework adapter for teams-ai's Application. `credentialsFactory` replaces how outgoing calls get their
 * token (tests use a fixed bearer so no login.microsoftonline.com is needed).
 */
export function createTeamsAdapter(
  bot: Config['bot'],
  opts: { credentialsFactory?: ServiceClientCredentialsFactory } = {},
): TeamsAdapter {
  return new MailroomTeamsAdapter(botAuthSettings(bot), opts.credentialsFactory);
}

/** The request shape TeamsAdapter.process reads. */
export type BotRequest = Parameters<TeamsAdapter['process']>[0];

/**
 * Narrows a restify/node request to what the adapter reads (body, headers, method). Needed because node types
 * `method` as `string | undefined`, which `exactOptionalPropertyTypes` refuses for botbuilder's `method?: string`.
 */
export function botRequest(req: {
  body?: unknown;
  headers: BotRequest['headers'];
  method?: string | undefined;
}): BotRequest {
  const out: BotRequest = { headers: req.headers, method: req.method ?? 'GET' };
  if (typeof req.body === 'object' && req.body !== null) out.body = req.body as NonNullable<BotRequest['body']>;
  return out;
}

/** Where a proactive post lands: the new thread's conversation id and the root activity id. */
export interface ThreadRef {
  conversationId: string;
  activityId: string;
}

function connectorOf(context: TurnContext): ConnectorClient {
  const client = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  if (!client) throw new MailroomError('teams_error', 'No Bot Framework connector on this turn');
  return client;
}

/**
 * Starts a new thread in a team channel: POST {serviceUrl}/v3/conversations with channelData.channel.id.
 * TeamsInfo.sendMessageToTeamsChannel is not used: with an empty app id (auth off) it calls
 * adapter.createConnectorClient, which CloudAdapter does not have. This works with auth on and off.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 */
export async function startChannelThread(
  adapter: TeamsAdapter,
  appId: string,
  reference: Partial<ConversationReference>,
  channelId: string,
  activity: Partial<Activity>,
): Promise<ThreadRef> {
  let created: ThreadRef | undefined;
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    const response = await connectorOf(context).conversations.createConversation({
      isGroup: true,
      bot: { id: reference.bot?.id ?? appId, name: reference.bot?.name ?? '' },
      channelData: {
        channel: { id: channelId },
        ...(reference.conversation?.tenantId ? { tenant: { id: reference.conversation.tenantId } } : {}),
      },
      activity: { type: 'message', ...activity } as Activity,
    });
    created = { conversationId: response.id, activityId: response.activityId };
  });
  if (!created?.conversationId) throw new MailroomError('teams_error', 'Teams did not return the new thread id');
  return created;
}

/** The conversation id of a reply thread in a channel: `<channel id>;messageid=<root activity id>`. */
export function threadConversationId(channelId: string, rootActivityId: string): string {
  return `${channelId};messageid=${rootActivityId}`;
}

/** Sends an activity into an existing conversation (a channel thread, a chat). Returns the new activity id. */
export async function sendToConversation(
  adapter: TeamsAdapter,
  appId: string,
  reference: Partial<ConversationReference>,
  activity: Partial<Activity>,
): Promise<string> {
  let id: string | undefined;
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    id = (await context.sendActivity(activity))?.id;
  });
  if (!id) throw new MailroomError('teams_error', 'Teams did not return the activity id');
  return id;
}

/** Replaces a posted activity (a card) for everyone: PUT /v3/conversations/{id}/activities/{activityId}. */
export async function updateActivity(
  adapter: TeamsAdapter,
  appId: string,
  reference: Partial<ConversationReference>,
  activityId: string,
  activity: Partial<Activity>,
): Promise<void> {
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    await context.updateActivity({ type: 'message', ...activity, id: activityId });
  });
}
