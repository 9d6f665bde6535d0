import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnInfo } from './turn-info.js';

/** A team's Microsoft 365 group id never changes: remember it per team for the life of the process. */
const known = new Map<string, string>();
/** Teams whose details could not be read, and when to ask again: a failing lookup is not repeated on every turn. */
const failedUntil = new Map<string, number>();
const RETRY_FAILED_MS = 60_000;

/**
 * Teams names a team's group (`channelData.team.aadGroupId`) on install and team events, but not on messages or
 * card clicks. Admin checks need it (team owners come from Graph by group id), so it is looked up once per team
 * from the Bot Connector's team details.
 */
export async function withTeamGroup(ctx: TurnContext, turn: TurnInfo, log: Logger): Promise<TurnInfo> {
  if (turn.aadGroupId || !turn.teamId) return turn;
  const cached = known.get(turn.teamId);
  if (cached) return { ...turn, aadGroupId: cached };
  if ((failedUntil.get(turn.teamId) ?? 0) > Date.now()) return turn;
  try {
    const details = await TeamsInfo.getTeamDetails(ctx, turn.teamId);
    if (!details.aadGroupId) return turn;
    known.set(turn.teamId, details.aadGroupId);
    return { ...turn, aadGroupId: details.aadGroupId };
  } catch (err) {
    failedUntil.set(turn.teamId, Date.now() + RETRY_FAILED_MS);
    log.warn({ err }, 'could not read the team’s details; only MAILROOM_ADMINS count as admins here for a minute');
    return turn;
  }
}
