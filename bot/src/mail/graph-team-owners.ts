import { MailroomError } from '../core/errors.js';
import type { GraphCaller } from './graph-caller.js';
import { isGraphStatus } from './graph-failure.js';
import { graphSegment } from './graph-path.js';

/** Parses a Graph `conversationMember` page into the owners' AAD object ids. */
export function ownersFromGraphMembers(page: unknown): string[] {
  const value = (page as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return [];
  return value
    .filter((m) => Array.isArray(m?.roles) && (m.roles as unknown[]).some((r) => String(r).toLowerCase() === 'owner'))
    .map((m) => String((m as { userId?: unknown }).userId ?? '').toLowerCase())
    .filter((id) => id !== '');
}

const TEAM_REMEDY =
  'Give the Mailroom app the TeamMember.Read.Group permission (granted when the app is installed in the team) or ' +
  'the TeamMember.Read.All application permission with admin consent. Until then only MAILROOM_ADMINS are admins.';

/**
 * The AAD object ids of a team's owners: `GET /teams/{aadGroupId}/members`, where an owner's conversationMember
 * has `roles: ["owner"]` (members have `[]`, guests `["guest"]`). Pages are followed through @odata.nextLink.
 * https://learn.microsoft.com/graph/api/team-list-members
 */
export async function listTeamOwners(graph: GraphCaller, aadGroupId: string): Promise<string[]> {
  const owners = new Set<string>();
  const what = `Read the owners of team ${aadGroupId}`;
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
    for (const id of ownersFromGraphMembers(page)) owners.add(id);
    link = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
  }
  return [...owners];
}
