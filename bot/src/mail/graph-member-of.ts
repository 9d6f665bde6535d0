import { MailroomError } from '../core/errors.js';
import type { GraphCaller } from './graph-caller.js';
import { isGraphStatus } from './graph-failure.js';
import { graphSegment } from './graph-path.js';

const GROUP_REMEDY =
  'Give the Mailroom mail reader the User.Read.All application permission with admin consent (docs/admin.md, step 2). ' +
  'Until then only MAILROOM_ADMINS and team owners are admins.';

/**
 * Whether the user is a member of the group, directly or through nested groups: the user's transitive group
 * memberships, `GET /users/{id}/transitiveMemberOf/microsoft.graph.group?$select=id`, paged by @odata.nextLink until
 * the group is found. Reading another user's memberships takes User.Read.All (application), which Mailroom already
 * has. https://learn.microsoft.com/graph/api/user-list-transitivememberof
 */
export async function isGroupMember(graph: GraphCaller, userId: string, groupId: string): Promise<boolean> {
  const wanted = groupId.toLowerCase();
  const what = `Read the group memberships of user ${userId}`;
  let link: string | undefined =
    `/users/${graphSegment(userId)}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`;
  while (link) {
    const current: string = link;
    const page = (await graph
      .run('other', what, () => graph.api(current).get())
      .catch((err: unknown) => {
        if (err instanceof Error && isGraphStatus(err.cause, 404)) return { value: [] };
        if (err instanceof Error && isGraphStatus(err.cause, 403)) {
          throw new MailroomError('graph_access_denied', err.message, { cause: err, remedy: GROUP_REMEDY });
        }
        throw err;
      })) as { value?: unknown; '@odata.nextLink'?: unknown };
    const ids = Array.isArray(page.value) ? page.value.map((g) => String((g as { id?: unknown })?.id ?? '')) : [];
    if (ids.some((id) => id.toLowerCase() === wanted)) return true;
    link = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
  }
  return false;
}
