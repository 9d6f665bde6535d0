import type { Mailbox } from './email.js';
import { MailroomError } from './errors.js';
import { LISTED_ADMINS, type MailboxAuthority } from './mailbox-access.js';

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

/** Where a chat command was typed, and by whom. */
export interface CommandOrigin {
  tenantId: string;
  actorId: string;
  /** The Teams team of the channel it was typed in; null in a personal or group chat. */
  teamId: string | null;
}

type TeamMailbox = Pick<Mailbox, 'id' | 'address' | 'teamId' | 'teamGroupId'>;

/**
 * Which of these shared mailboxes the person reaches from a chat command: every one for a listed admin; else those
 * whose team they are in, known from Teams when they typed in one of that team's channels (as a card click is,
 * teams/email-team.ts), or from Graph's roster of the team. A mailbox whose team Mailroom does not know is reached
 * from its own team's channel only. A roster Graph refuses counts as not theirs, and `problem` says so.
 */
export async function reachedMailboxes(
  auth: MailboxAuthority & TeamMembership,
  origin: CommandOrigin,
  mailboxes: readonly TeamMailbox[],
): Promise<{ ids: Set<string>; problem: MailroomError | null }> {
  const inTypedTeam = (m: TeamMailbox) => origin.teamId !== null && m.teamId !== null && m.teamId === origin.teamId;
  const ids = new Set(mailboxes.filter(inTypedTeam).map((m) => m.id));
  const rest = mailboxes.filter((m) => !ids.has(m.id));
  if (rest.length === 0) return { ids, problem: null };
  if (await auth.isGlobalAdmin(origin.actorId)) return { ids: new Set(mailboxes.map((m) => m.id)), problem: null };
  const groups = rest.flatMap((m) => (m.teamGroupId ? [m.teamGroupId] : []));
  if (groups.length === 0) return { ids, problem: null };
  const answer = await auth.teamsOf(origin.tenantId, origin.actorId, groups);
  for (const m of rest) if (m.teamGroupId && answer.teams.includes(m.teamGroupId)) ids.add(m.id);
  return { ids, problem: answer.problem };
}

/**
 * May the person turn autopilot on for a whole shared mailbox, or read its rules (`/autopilot on|status`)? Only a
 * member of the team that gets its cards, or a listed admin: anyone else is refused, from another team's channel or
 * a chat alike, with who can. (`/autopilot off` stays with each rule's owner and the mailbox's admins.)
 */
export async function authorizeTeamMailbox(
  auth: MailboxAuthority & TeamMembership,
  origin: CommandOrigin,
  mailbox: TeamMailbox,
  action: 'turn autopilot on for' | 'see the autopilot rules of',
): Promise<void> {
  const { ids, problem } = await reachedMailboxes(auth, origin, [mailbox]);
  if (ids.has(mailbox.id)) return;
  const unread = problem ? ' Mailroom could not read that team’s members just now, so it counts nobody in it.' : '';
  throw new MailroomError(
    'forbidden',
    `Only members of the team that gets ${mailbox.address}’s cards, or ${LISTED_ADMINS}, can ${action} it.${unread}`,
    {
      status: 403,
      remedy: problem
        ? `Type it in a channel of that team, or ask your Mailroom admin to grant Mailroom TeamMember.Read.All (docs/admin.md, step 2).`
        : `Type it in a channel of that team, or ask one of its owners to add you to the team.`,
    },
  );
}
