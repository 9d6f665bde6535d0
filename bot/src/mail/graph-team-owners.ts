import { MailroomError } from '../core/errors.js';
import type { GraphCaller } from './graph-caller.js';
import { isGraphStatus } from './graph-failure.js';
import { graphSegment } from './graph-path.js';

/** A team's roster by AAD object id, lower-cased: everyone in it (owners, members and guests), and its owners. */
export interface TeamRoster {
  members: string[];
  owners: string[];
}

const userIdOf = (m: unknown) => String((m as { userId?: unknown } | null)?.userId ?? '').toLowerCase();
const isOwner = (m: unknown) => {
  const roles = (m as { roles?: unknown } | null)?.roles;
  return Array.isArray(roles) && roles.some((r) => String(r).toLowerCase() === 'owner');
};

/** Parses a Graph `conversationMember` page into its people's AAD object ids, and its owners'. */
export function rosterFromGraphMembers(page: unknown): TeamRoster {
  const value = (page as { value?: unknown } | null)?.value;
  const people = Array.isArray(value) ? value.filter((m) => userIdOf(m) !== '') : [];
  return { members: people.map(userIdOf), owners: people.filter(isOwner).map(userIdOf) };
}

const TEAM_REMEDY =
  'Give the Mailroom app the TeamMember.Read.Group permission (granted when the app is installed in the team) or ' +
  'the TeamMember.Read.All application permission with admin consent. Until then only MAILROOM_ADMINS are admins, ' +
  'and everyone else sees only their own saves, claims and rules on the Dashboard.';

/**
 * A team's roster: `GET /teams/{aadGroupId}/members`, where an owner's conversationMember has `roles: ["owner"]`
 * (members have `[]`, guests `["guest"]`). Pages are followed through @odata.nextLink. One read answers "is this
 * person in the team" for everyone, and "is this person an owner", so it is the one Mailroom makes (and caches).
 * https://learn.microsoft.com/graph/api/team-list-members
 */
export async function listTeamRoster(graph: GraphCaller, aadGroupId: string): Promise<TeamRoster> {
  const members = new Set<string>();
  const owners = new Set<string>();
  const what = `Read the members of team ${aadGroupId}`;
  let link: string | undefined = `/teams/${graphSegment(aadGroupId)}/members`;
  while (link) {
    const current: string = link;
    const page = (await graph
      .run('other', what, () => graph.api(current).get())
      .catch((err: unknown) => {
        // The generic 403 remedy speaks of mailboxes; this one names the Teams permission instead.
        if (err instanceof Error && isGraphStatus(err.cause, 403)) {
          throw new MailroomError('graph_access_denied', err.message, { cause: err, remedy: TEAM_REMEDY });
        }
        throw err;
      })) as { '@odata.nextLink'?: unknown };
    const roster = rosterFromGraphMembers(page);
    for (const id of roster.members) members.add(id);
    for (const id of roster.owners) owners.add(id);
    link = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
  }
  return { members: [...members], owners: [...owners] };
}
