import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';
import { botAuthSettings } from './bot-auth.js';

/**
 * The adapter for proactive posts only (cards, replies, updates), with the same auth settings as the teams-ai
 * adapter that serves /api/messages. It is botbuilder's CloudAdapter rather than teams-ai's TeamsAdapter, so the job
 * worker's thread never loads teams-ai (its dialogs, recognizers, tokenizer and OpenAI client: about 50 MiB of
 * memory that a card post does not use).
 */
export function createProactiveAdapter(bot: Config['bot']): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(botAuthSettings(bot)));
}
