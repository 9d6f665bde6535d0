import { MailroomError } from './errors.js';

/**
 * Which of some teams (Microsoft 365 group ids, as given) a person is in. A roster that could not be read counts
 * as a team they are not in, and `problem` says so (code `team_members_unreadable`): never more reach, only less.
 */
export interface TeamsOfAnswer {
  teams: string[];
  problem: MailroomError | null;
}

/** The port: Graph's team rosters, cached (teams/admins-roster.ts). */
export interface TeamMembership {
  teamsOf(tenantId: string, userId: string, teamGroupIds: readonly string[]): Promise<TeamsOfAnswer>;
}

/** The problem a roster read left, as the Dashboard and the log show it. */
export function rosterProblem(teamGroupId: string, cause: unknown): MailroomError {
  const remedy = cause instanceof MailroomError && cause.code === 'graph_access_denied' ? cause.remedy : '';
  return new MailroomError('team_members_unreadable', `Could not read the members of team ${teamGroupId}`, {
    cause,
    remedy,
  });
}
