import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, ConfigurationBotFrameworkAuthenticationOptions, InvokeResponse, TurnContext } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Config } from '../config.js';

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
