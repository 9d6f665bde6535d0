import type { AdaptiveCard, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
// The class's own module, not the package's index, which also loads teams-ai's AI side (planners, the OpenAI
// clients, gpt-tokenizer's tables: ~11 MiB of the HTTP thread's heap) that Mailroom never uses. The package has no
// `exports` map, so its lib/ files are importable; typecheck fails if an update moves one.
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { adminFix, errorWords, personWords } from '../core/error-words.js';
import { MailroomError } from '../core/errors.js';
import { unstorableField } from '../http/unstorable-text.js';
import { CommandVerb, Dataset, Verb } from './actions.js';
import type { CardActionHandler } from './card-actions.js';
import type { CardJson } from './cards/expand-template.js';
import { noticeCard } from './cards/notice-card.js';
import { withChannelName } from './channel-name.js';
import { type ChatCommands, handleChat } from './commands/handle-chat.js';
import { confirmMoveAction } from './commands/watch-commands.js';
import { type InstallDeps, onInstallChange } from './install.js';
import { type MessageExtensionDeps, registerMessageExtension } from './message-extension/register-message-extension.js';
import { withTeamGroup } from './team-group.js';
import { channelReference, type TurnInfo, turnInfo } from './turn-info.js';

export type RecordSearch = (
  turn: TurnInfo,
  text: string,
  top: number,
) => Promise<Array<{ title: string; value: string }>>;

export interface TeamsAppDeps extends InstallDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  log: Logger;
  chat: ChatCommands;
  cardAction: CardActionHandler;
  searchRecords: RecordSearch;
  /** The NetSuite messaging extension (search, Save to NetSuite, link unfurling); off when not given. */
  messageExtension?: MessageExtensionDeps;
}

const REPLY_FAILED =
  'Mailroom could not post its answer here. Try again in a moment; if it keeps happening, ask your Mailroom admin to check its log.';

/**
 * The words a clicker sees when a card action fails, from the error catalogue: a service's technical answer never
 * reaches them (it is in the log); a refusal says what happened and what to do.
 */
export function clickAnswer(err: unknown): string {
  return personWords(err);
}

/** The card a refused or failed chat command answers with: what happened, and what to do about it. */
export function errorNotice(err: unknown): CardJson {
  const known = err instanceof MailroomError;
  const words = errorWords(err);
  return noticeCard({
    title: words.title,
    text: '',
    // Chat commands are mostly an admin's: an error that names its own fix shows it.
    remedy: (known && err.remedy) || words.next,
    tone: known ? 'warning' : 'error',
  });
}

/**
 * The teams-ai Application: one route per wire name, each translating the activity into a core call.
 * The typing timer is off: Mailroom answers with cards, and typing indicators would count against the
 * per-thread rate limit.
 */
export function createTeamsApp(deps: TeamsAppDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });
  const logFor = (ctx: TurnContext) =>
    deps.log.child({ activityId: ctx.activity.id, conversationId: ctx.activity.conversation?.id });

  app.activity(ActivityTypes.Message, async (ctx) => {
    const log = logFor(ctx);
    const turn = await withTeamGroup(ctx, turnInfo(ctx), log);
    let card: CardJson;
    try {
      card = await handleChat(deps.chat, ctx, turn, log);
    } catch (err) {
      if (!(err instanceof MailroomError)) log.error({ err }, 'chat command failed');
      // The card may show plain words instead of a service's answer; the answer itself is kept here.
      else log.warn({ code: err.code, err }, 'chat command refused');
      card = errorNotice(err);
    }
    try {
      await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    } catch (err) {
      // The answer itself could not be posted (too large, the connector failing): say so in plain words once,
      // never with the connector's own error text, and keep that for the log.
      log.error({ err }, 'could not post the answer to a chat command');
      await ctx.sendActivity(REPLY_FAILED).catch((again: unknown) => {
        log.warn({ err: again }, 'could not post the short notice either');
      });
    }
  });

  app.conversationUpdate('membersAdded', async (ctx) => onInstallChange(deps, ctx, logFor(ctx)));
  app.conversationUpdate('membersRemoved', async (ctx) => onInstallChange(deps, ctx, logFor(ctx)));
  app.activity(ActivityTypes.InstallationUpdate, async (ctx) => onInstallChange(deps, ctx, logFor(ctx)));

  /** A click's data holding a NUL or a broken surrogate is refused before any handler reads or stores it. */
  const storable = (data: unknown): void => {
    const bad = unstorableField(data);
    if (bad) {
      throw new MailroomError('bad_request', `This card's ${bad} holds a character Mailroom does not accept.`, {
        remedy: 'Use the buttons of the card as Teams shows it.',
      });
    }
  };

  const failedClick = (err: unknown, log: Logger): string => {
    if (!(err instanceof MailroomError)) log.error({ err }, 'card action failed');
    else log.warn({ code: err.code, reason: err.message, fix: adminFix(err) }, 'card action refused');
    return clickAnswer(err);
  };

  const emailCardClick = async (ctx: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCard | string> => {
    const verb = String(ctx.activity.value?.action?.verb ?? '').slice(0, 40);
    const log = logFor(ctx).child({ verb });
    try {
      storable(data);
      const answer = await deps.cardAction(await withTeamGroup(ctx, turnInfo(ctx), log), verb, data, log);
      return typeof answer === 'string' ? answer : (answer as unknown as AdaptiveCard);
    } catch (err) {
      return failedClick(err, log);
    }
  };
  for (const verb of Object.values(Verb)) {
    app.adaptiveCards.actionExecute(verb, async (ctx, _state, data) => emailCardClick(ctx, data));
  }
  // A verb no route knows comes from an old card (or a forged one): the email card's handler answers it with the
  // card as it is now.
  const known = new Set<string>([...Object.values(Verb), ...Object.values(CommandVerb)]);
  const unknownVerb = async (ctx: TurnContext) => {
    const a = ctx.activity;
    return (
      a.type === ActivityTypes.Invoke &&
      a.name === 'adaptiveCard/action' &&
      a.value?.action?.type === 'Action.Execute' &&
      !known.has(String(a.value?.action?.verb))
    );
  };
  app.adaptiveCards.actionExecute(unknownVerb, async (ctx, _state, data) => emailCardClick(ctx, data));

  // The move confirmation acts on the channel it was clicked in, so it needs that channel's name and reference.
  app.adaptiveCards.actionExecute(
    CommandVerb.moveMailbox,
    async (ctx, _state, data): Promise<AdaptiveCard | string> => {
      const log = logFor(ctx).child({ verb: CommandVerb.moveMailbox });
      try {
        storable(data);
        const turn = await withChannelName(ctx, await withTeamGroup(ctx, turnInfo(ctx), log), log);
        const reference = channelReference(ctx, turn) as Record<string, unknown>;
        return (await confirmMoveAction(deps.chat.watch, turn, reference, data, log)) as unknown as AdaptiveCard;
      } catch (err) {
        return failedClick(err, log);
      }
    },
  );

  app.adaptiveCards.search(Dataset.netsuiteRecords, async (ctx, _state, query) => {
    const text = String(query.parameters.queryText ?? '').trim();
    return deps.searchRecords(turnInfo(ctx), text, Math.min(query.count || 15, 15));
  });

  if (deps.messageExtension) registerMessageExtension(app, deps.messageExtension);

  return app;
}
