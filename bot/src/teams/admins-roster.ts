import type { Logger } from 'pino';
import { type AdminReason, adminReasons } from '../core/admins.js';
import type { TurnInfo } from './turn-info.js';

/**
 * AAD object ids of the owners of one team. The Bot Framework roster (TeamsInfo.getPagedTeamMembers) cannot
 * answer this: its `userRole` says "user" or "guest", never "owner" (MicrosoftDocs/msteams-docs#1990, #6381).
 * Graph can: `GET /teams/{aadGroupId}/members` gives owners `roles: ["owner"]` (TeamMember.Read.Group, RSC).
 */
export type TeamOwnersLookup = (tenantId: string, aadGroupId: string) => Promise<string[]>;

export interface AdminRosterOptions {
  /** MAILROOM_ADMINS (config.admins): Entra object ids. */
  configured: readonly string[];
  ownersOf?: TeamOwnersLookup;
  /** MAILROOM_ADMIN_GROUP_ID and how to ask Graph whether someone is in it (directly or nested). */
  adminGroup?: { id: string; isMember: (userId: string, groupId: string) => Promise<boolean> };
  /** How long one team's owners are trusted; a few minutes keeps clicks fast and Graph quiet. */
  ttlMs?: number;
  clock?: () => Date;
  log?: Logger;
}

/**
 * Who is a Mailroom admin: listed in MAILROOM_ADMINS, or an owner of the team the person is speaking in.
 * A roster that cannot be read counts as no owners (logged), so an outage never makes someone an admin.
 */
export class AdminRoster {
  private readonly cache = new Map<string, { owners: string[]; until: number }>();
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
    if (!aadGroupId || !this.opts.ownersOf) return false;
    const owners = await this.teamOwners(tenantId, aadGroupId);
    return adminReasons(userId, { configuredAdmins: [], teamOwnerIds: owners }).length > 0;
  }

  private async teamOwners(tenantId: string, aadGroupId: string): Promise<string[]> {
    const key = `${tenantId}|${aadGroupId}`;
    const now = this.clock().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.owners;
    let owners: string[] = [];
    let ttl = this.ttlMs;
    try {
      owners = (await this.opts.ownersOf?.(tenantId, aadGroupId)) ?? [];
    } catch (err) {
      // Asked again soon rather than after the full TTL, so a passing outage does not linger.
      ttl = Math.min(ttl, 30_000);
      this.opts.log?.warn({ err, aadGroupId }, 'could not read the team owners; only MAILROOM_ADMINS count as admins');
    }
    this.cache.set(key, { owners, until: now + ttl });
    return owners;
  }
}
