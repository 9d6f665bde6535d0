import type { EmuContext, Route } from './context.js';
import { match, sendJson } from './http.js';
import { pageOf } from './paging.js';
import { ACCEPTS, permitted } from './permissions.js';
import { queryAccepted } from './query-options.js';
import { directoryUserNotFound } from './routes-users.js';
import { findUser } from './store.js';

/** Every group (teams are Microsoft 365 groups of their members) and the ids each holds directly. */
function groupsOf(ctx: EmuContext): Array<{ id: string; displayName: string; members: string[] }> {
  return [
    ...ctx.state.teams.map((t) => ({
      id: t.aadGroupId,
      displayName: t.displayName,
      members: t.members.map((m) => m.userId),
    })),
    ...ctx.state.groups,
  ];
}

/** The groups `id` is in, directly or through groups nested in groups. */
function transitiveGroups(ctx: EmuContext, id: string): Array<{ id: string; displayName: string }> {
  const all = groupsOf(ctx);
  const found = new Map<string, { id: string; displayName: string }>();
  let frontier = [id.toLowerCase()];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const g of all) {
      if (found.has(g.id)) continue;
      if (g.members.some((m) => frontier.includes(m.toLowerCase()))) {
        found.set(g.id, { id: g.id, displayName: g.displayName });
        next.push(g.id.toLowerCase());
      }
    }
    frontier = next;
  }
  return [...found.values()];
}

/**
 * `GET /users/{id}/transitiveMemberOf/microsoft.graph.group`: the user's groups, direct and nested, in pages of $top
 * (default 100) linked by @odata.nextLink. https://learn.microsoft.com/graph/api/user-list-transitivememberof
 */
export const memberOfRoute: Route = (req, res, ctx) => {
  const m = match('/v1.0/users/:user/transitiveMemberOf/microsoft.graph.group', req.path);
  if (!m || req.method !== 'GET') return false;
  if (!queryAccepted(req, res, ['$select', '$top', '$skiptoken'])) return true;
  if (!permitted(req, res, ACCEPTS.memberOfRead, 'directory')) return true;
  const user = findUser(ctx.state, m.user ?? '');
  if (!user) return directoryUserNotFound(req, res, m.user ?? '');
  const onlyId = req.query.get('$select')?.trim().toLowerCase() === 'id';
  const link = `${ctx.url()}/v1.0/users/${encodeURIComponent(user.id)}/transitiveMemberOf/microsoft.graph.group`;
  const page = pageOf(req.query, transitiveGroups(ctx, user.id), link);
  sendJson(res, 200, {
    '@odata.context': `${ctx.url()}/v1.0/$metadata#groups`,
    ...page.more,
    value: page.items.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...(onlyId ? { id: g.id } : g) })),
  });
  return true;
};
