import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnInfo } from './turn-info.js';

/**
 * Message activities carry a channel's id but not its name (in Teams and in the Playground), so the name
 * comes from the team's channel list. General has no name in that list: Teams shows it as "General".
 */
export async function withChannelName(ctx: TurnContext, turn: TurnInfo, log: Logger): Promise<TurnInfo> {
  if (turn.channelName || !turn.teamId || !turn.channelId) return turn;
  try {
    const channels = await TeamsInfo.getTeamChannels(ctx, turn.teamId);
    const found = channels.find((c) => c.id === turn.channelId);
    if (!found) return turn;
    return { ...turn, channelName: found.name || 'General' };
  } catch (err) {
    log.warn({ err }, 'could not read the team’s channel names; the card says "this channel"');
    return turn;
  }
}
