import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnInfo } from './turn-info.js';

/** A team's Microsoft 365 group id never changes: remember it per team for the life of the process. */
const known = new Map<string, string>();

/**
 * Teams names a team's group (`channelData.team.aadGroupId`) on install and team events, but not on messages or
 * card clicks. Admin checks need it (team owners come from Graph by group id), so it is looked up once per team
 * from the Bot Connector's team details.
 */
export async function withTeamGroup(ctx: TurnContext, turn: TurnInfo, log: Logger): Promise<TurnInfo> {
  if (turn.aadGroupId || !turn.teamId) return turn;
  const cached = known.get(turn.teamId);
  if (cached) return { ...turn, aadGroupId: cached };
  try {
    const details = await TeamsInfo.getTeamDetails(ctx, turn.teamId);
    if (!details.aadGroupId) return turn;
    known.set(turn.teamId, details.aadGroupId);
    return { ...turn, aadGroupId: details.aadGroupId };
  } catch (err) {
    log.warn({ err }, 'could not read the team’s details; only MAILROOM_ADMINS count as admins here');
    return turn;
  }
}
