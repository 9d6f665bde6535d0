import type { Logger } from 'pino';
import { type AdminReason, adminReasons } from '../core/admins.js';
import type { MailroomError } from '../core/errors.js';
import { rosterProblem, type TeamMembership, type TeamsOfAnswer } from '../core/team-reach.js';
import type { TurnInfo } from './turn-info.js';

/**
 * AAD object ids of the people of one team (owners, members, guests) and of its owners. The Bot Framework roster
 * (TeamsInfo.getPagedTeamMembers) cannot name owners: its `userRole` says "user" or "guest", never "owner"
 * (MicrosoftDocs/msteams-docs#1990, #6381). Graph can: `GET /teams/{aadGroupId}/members` gives owners
 * `roles: ["owner"]` (TeamMember.Read.Group, RSC, or TeamMember.Read.All).
 */
export type TeamRosterLookup = (
  tenantId: string,
  aadGroupId: string,
) => Promise<{ members: string[]; owners: string[] }>;

interface CachedRoster {
  members: Set<string>;
  owners: Set<string>;
  /** Why it is empty: the read failed (asked again within 30 s). */
  failure: MailroomError | null;
  until: number;
}

export interface AdminRosterOptions {
  /** MAILROOM_ADMINS (config.admins): Entra object ids. */
  configured: readonly string[];
  rosterOf?: TeamRosterLookup;
  /** MAILROOM_ADMIN_GROUP_ID and how to ask Graph whether someone is in it (directly or nested). */
  adminGroup?: { id: string; isMember: (userId: string, groupId: string) => Promise<boolean> };
  /** How long one team's roster is trusted; a few minutes keeps clicks and the Dashboard fast and Graph quiet. */
  ttlMs?: number;
  clock?: () => Date;
  log?: Logger;
}

/**
 * Who is a Mailroom admin: listed in MAILROOM_ADMINS, or an owner of the team the person is speaking in; and which
 * teams a person is in (core/team-reach.ts). One cached roster read per team answers both. A roster that cannot be
 * read counts as nobody (logged), so an outage never makes someone an admin or a member.
 */
export class AdminRoster implements TeamMembership {
  private readonly cache = new Map<string, CachedRoster>();
  private readonly inflight = new Map<string, Promise<CachedRoster>>();
  private readonly groupCache = new Map<string, { member: boolean; until: number }>();
  private readonly ttlMs: number;
  private readonly clock: () => Date;

  constructor(private readonly opts: AdminRosterOptions) {
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.clock = opts.clock ?? (() => new Date());
  }

  /**
   * `aadGroupId` names the team whose owners count: Graph knows a team by its Microsoft 365 group id, not by the
   * Teams thread id. A turn without one (a personal chat, a team Teams has not named) counts MAILROOM_ADMINS only.
   */
  async isAdmin(turn: Pick<TurnInfo, 'tenantId' | 'aadGroupId' | 'user'>): Promise<boolean> {
    return (await this.reasons(turn)).length > 0;
  }

  /** Why the person is an admin for the team `aadGroupId` names (empty: not an admin there). */
  async reasons(turn: Pick<TurnInfo, 'tenantId' | 'aadGroupId' | 'user'>): Promise<AdminReason[]> {
    const reasons: AdminReason[] = [];
    if (this.isListed(turn.user.id)) reasons.push('listed');
    if (await this.inAdminGroup(turn.user.id)) reasons.push('admin_group');
    if (await this.ownsTeam(turn.tenantId, turn.user.id, turn.aadGroupId)) reasons.push('team_owner');
    return reasons;
  }

  /** An admin of every mailbox: listed in MAILROOM_ADMINS, or in the MAILROOM_ADMIN_GROUP_ID group. */
  async isGlobalAdmin(userId: string): Promise<boolean> {
    return this.isListed(userId) || (await this.inAdminGroup(userId));
  }

  /**
   * In the admin group, directly or nested; each answer is kept for the TTL. A membership that cannot be read
   * counts as not a member (logged, asked again within 30 s), so an outage never makes someone an admin.
   */
  async inAdminGroup(userId: string): Promise<boolean> {
    const group = this.opts.adminGroup;
    const id = userId.trim().toLowerCase();
    if (!group || id === '') return false;
    const now = this.clock().getTime();
    const hit = this.groupCache.get(id);
    if (hit && hit.until > now) return hit.member;
    let member = false;
    let ttl = this.ttlMs;
    try {
      member = await group.isMember(id, group.id);
    } catch (err) {
      ttl = Math.min(ttl, 30_000);
      this.opts.log?.warn(
        { err, groupId: group.id },
        'could not read the admin group; its members count as not admins',
      );
    }
    if (this.groupCache.size >= 10_000) this.groupCache.clear();
    this.groupCache.set(id, { member, until: now + ttl });
    return member;
  }

  /** Listed in MAILROOM_ADMINS: an admin of every mailbox. */
  isListed(userId: string): boolean {
    return adminReasons(userId, { configuredAdmins: this.opts.configured, teamOwnerIds: [] }).length > 0;
  }

  /** An owner of the team with this Microsoft 365 group id (never of no team). */
  async ownsTeam(tenantId: string, userId: string, aadGroupId: string | null): Promise<boolean> {
    if (!aadGroupId || !this.opts.rosterOf) return false;
    const { owners } = await this.roster(tenantId, aadGroupId);
    return adminReasons(userId, { configuredAdmins: [], teamOwnerIds: [...owners] }).length > 0;
  }

  /** Which of these teams the person is in, each team's roster read at most once per TTL for everyone. */
  async teamsOf(tenantId: string, userId: string, teamGroupIds: readonly string[]): Promise<TeamsOfAnswer> {
    const id = userId.trim().toLowerCase();
    const groups = [...new Set(teamGroupIds)];
    if (id === '' || groups.length === 0 || !this.opts.rosterOf) return { teams: [], problem: null };
    const rosters = await Promise.all(groups.map((g) => this.roster(tenantId, g)));
    return {
      teams: groups.filter((_g, i) => rosters[i]?.members.has(id)),
      problem: rosters.find((r) => r.failure)?.failure ?? null,
    };
  }

  /** One team's roster from the cache, or one Graph read shared by every caller asking while it is out. */
  private async roster(tenantId: string, aadGroupId: string): Promise<CachedRoster> {
    const key = `${tenantId}|${aadGroupId.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.clock().getTime()) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const read = this.readRoster(tenantId, aadGroupId, key).finally(() => this.inflight.delete(key));
    this.inflight.set(key, read);
    return read;
  }

  private async readRoster(tenantId: string, aadGroupId: string, key: string): Promise<CachedRoster> {
    let entry: CachedRoster;
    try {
      const r = (await this.opts.rosterOf?.(tenantId, aadGroupId)) ?? { members: [], owners: [] };
      const lower = (ids: string[]) => new Set(ids.map((x) => x.trim().toLowerCase()));
      entry = { members: lower(r.members), owners: lower(r.owners), failure: null, until: this.until(this.ttlMs) };
    } catch (err) {
      // Asked again soon rather than after the full TTL, so a passing outage does not linger.
      entry = {
        members: new Set(),
        owners: new Set(),
        failure: rosterProblem(aadGroupId, err),
        until: this.until(Math.min(this.ttlMs, 30_000)),
      };
      this.opts.log?.warn(
        { err, aadGroupId },
        'could not read the team roster; only MAILROOM_ADMINS count as admins, and its mailboxes as nobody’s',
      );
    }
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, entry);
    return entry;
  }

  private until(ttlMs: number): number {
    return this.clock().getTime() + ttlMs;
  }
}
