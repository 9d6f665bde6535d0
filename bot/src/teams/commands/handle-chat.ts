import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { Command } from '../actions.js';
import type { CardJson } from '../cards/expand-template.js';
import { commandHelp, helpCard } from '../cards/help-card.js';
import { noticeCard } from '../cards/notice-card.js';
import { withChannelName } from '../channel-name.js';
import { channelReference, type TurnInfo } from '../turn-info.js';
import { type ParsedCommand, parseCommand } from './parse-command.js';
import { unwatchCommand, type WatchCommandDeps, watchCommand } from './watch-commands.js';

/** Optional command groups: /help lists only what is wired. */
export interface ChatCommands {
  watch: WatchCommandDeps;
  autopilot?: (turn: TurnInfo, cmd: Extract<ParsedCommand, { kind: 'autopilot' }>, log: Logger) => Promise<CardJson>;
  license?: (turn: TurnInfo, cmd: Extract<ParsedCommand, { kind: 'license' }>, log: Logger) => Promise<CardJson>;
}

export function helpFor(chat: ChatCommands): CardJson {
  const ids: Command[] = [Command.watch, Command.unwatch];
  if (chat.autopilot) ids.push(Command.autopilot);
  if (chat.license) ids.push(Command.license);
  ids.push(Command.help);
  return helpCard(ids.map((id) => commandHelp[id]));
}

/** Routes one chat message to its command; every answer is a card that says what happened or what to type. */
export async function handleChat(chat: ChatCommands, ctx: TurnContext, turn: TurnInfo, log: Logger): Promise<CardJson> {
  const cmd = parseCommand(ctx.activity.text ?? '');
  switch (cmd.kind) {
    case 'watch': {
      const named = await withChannelName(ctx, turn, log);
      return watchCommand(chat.watch, named, channelReference(ctx, named) as Record<string, unknown>, cmd.mailbox, log);
    }
    case 'unwatch':
      return unwatchCommand(chat.watch, turn, cmd.mailbox, log);
    case 'autopilot':
      if (chat.autopilot) return chat.autopilot(turn, cmd, log);
      break;
    case 'license':
      if (chat.license) return chat.license(turn, cmd, log);
      break;
    case 'help':
      return helpFor(chat);
    case 'error':
      return noticeCard({
        title: 'I did not get that',
        text: cmd.message,
        remedy: 'Type /help to see every command.',
        tone: 'info',
      });
  }
  return helpFor(chat);
}
