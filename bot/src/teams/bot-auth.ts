import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../config.js';

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
