import type { SeedTeam, SeedTeamMember } from '../graph-seed.js';
import type { EmuContext, Route } from './context.js';
import { graphError, match, sendJson } from './http.js';
import { pageOf } from './paging.js';
import { ACCEPTS, permitted } from './permissions.js';
import { queryAccepted } from './query-options.js';

function memberJson(team: SeedTeam, m: SeedTeamMember, tenantId: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    // Opaque to clients (Graph says so); this one is stable so a restart keeps it.
    id: Buffer.from(`${team.aadGroupId}##${m.userId}`).toString('base64'),
    roles: m.role === 'owner' ? ['owner'] : [],
    displayName: m.displayName,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId: m.userId,
    email: m.email,
    tenantId,
  };
}

const metadata = (ctx: EmuContext, id: string) => `${ctx.url()}/v1.0/$metadata#teams('${id}')/members`;

/**
 * `GET /teams/{aadGroupId}/members`: the roster with owners as `roles: ["owner"]`, in pages of $top (default 100,
 * as Graph) linked by @odata.nextLink. https://learn.microsoft.com/graph/api/team-list-members
 */
export const teamMembersRoute: Route = (req, res, ctx) => {
  const m = match('/v1.0/teams/:team/members', req.path);
  if (!m || req.method !== 'GET') return false;
  if (!queryAccepted(req, res, ['$filter', '$select', '$top', '$skiptoken'])) return true;
  if (!permitted(req, res, ACCEPTS.teamMembersRead, 'teams')) return true;
  const id = (m.team ?? '').toLowerCase();
  const team = ctx.state.teams.find((t) => t.aadGroupId.toLowerCase() === id);
  if (!team) {
    graphError(res, req, 404, 'NotFound', `No team found with Group Id ${m.team}`);
    return true;
  }
  const page = pageOf(
    req.query,
    team.members,
    `${ctx.url()}/v1.0/teams/${encodeURIComponent(team.aadGroupId)}/members`,
  );
  sendJson(res, 200, {
    '@odata.context': metadata(ctx, team.aadGroupId),
    '@odata.count': team.members.length,
    ...page.more,
    value: page.items.map((x) => memberJson(team, x, ctx.state.tenantId)),
  });
  return true;
};
