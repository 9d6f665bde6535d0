import { SANDBOX_PEOPLE, SANDBOX_TEAM_OWNER, sandboxPerson } from './people.js';

/**
 * The sandbox's Microsoft 365 tenant: what the Graph emulator serves when `npm start` runs without credentials.
 * The ids are fixed so that a restart keeps subscriptions, stored mail and links meaningful.
 */
export type UserPurpose = 'user' | 'shared' | 'room' | 'equipment' | 'linked' | 'others';

export interface SeedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  purpose: UserPurpose;
  jobTitle?: string;
}

/** One person on a team's roster, as Graph's aadUserConversationMember names them. */
export interface SeedTeamMember {
  /** The AAD object id Teams sends as `from.aadObjectId`. */
  userId: string;
  displayName: string;
  email: string;
  role: 'owner' | 'member';
}

/** A team, by the AAD group id Graph uses (`channelData.team.aadGroupId` in Teams activities). */
export interface SeedTeam {
  aadGroupId: string;
  displayName: string;
  members: SeedTeamMember[];
}

/** A security group, by object id; `members` are user ids or the ids of nested groups. */
export interface SeedGroup {
  id: string;
  displayName: string;
  members: string[];
}

export interface GraphSeed {
  tenantId: string;
  users: SeedUser[];
  /** Teams whose rosters `GET /teams/{id}/members` serves: their owners are Mailroom admins. */
  teams?: SeedTeam[];
  /** Groups besides the teams' own (a team is a Microsoft 365 group of its members). */
  groups?: SeedGroup[];
}

export const SANDBOX_TENANT_ID = '7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
export const SANDBOX_CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000a11a';
/** Not a secret: it only opens the local emulator. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-graph-secret';
export const SANDBOX_DOMAIN = 'contoso.com';

/** The Agents Playground's team (.m365agentsplayground.yml), by its Microsoft 365 group id. */
export const SANDBOX_TEAM_GROUP_ID = '4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c';

/**
 * An Entra security group for MAILROOM_ADMIN_GROUP_ID: Isaiah directly, and Lee through the nested "Support leads"
 * group. The sandbox does not set the variable; set it to this id to try group admins.
 */
export const SANDBOX_ADMIN_GROUP_ID = '0d4f8a2b-6c1e-4f3a-9b5d-7e2c1a0f9b31';
const SUPPORT_LEADS_GROUP_ID = '1e5a9b3c-7d2f-4a4b-8c6e-8f3d2b1a0c42';

export const graphSeed: GraphSeed = {
  tenantId: SANDBOX_TENANT_ID,
  users: [
    {
      id: '5b1c2a3d-1111-4a1a-9a1a-00000000c001',
      userPrincipalName: 'support@contoso.com',
      displayName: 'Contoso Support',
      purpose: 'shared',
    },
    {
      id: '5b1c2a3d-2222-4a2a-9a2a-00000000c002',
      userPrincipalName: 'sales@contoso.com',
      displayName: 'Contoso Sales',
      purpose: 'shared',
    },
    // Every person has a mailbox of their own (Megan's is the one a watcher reaches with delegate access).
    ...SANDBOX_PEOPLE.map((p) => ({
      id: p.oid,
      userPrincipalName: p.upn,
      displayName: p.displayName,
      purpose: 'user' as const,
      jobTitle: p.jobTitle,
    })),
  ],
  teams: [
    {
      // Team owners are Mailroom admins of the team's mailboxes; Adele owns it.
      aadGroupId: SANDBOX_TEAM_GROUP_ID,
      displayName: 'Contoso Support Team',
      members: SANDBOX_PEOPLE.map((p) => ({
        userId: p.oid,
        displayName: p.displayName,
        email: p.upn,
        role: p.key === SANDBOX_TEAM_OWNER.key ? ('owner' as const) : ('member' as const),
      })),
    },
  ],
  groups: [
    {
      id: SANDBOX_ADMIN_GROUP_ID,
      displayName: 'Mailroom admins',
      members: [sandboxPerson('isaiah').oid, SUPPORT_LEADS_GROUP_ID],
    },
    { id: SUPPORT_LEADS_GROUP_ID, displayName: 'Support leads', members: [sandboxPerson('lee').oid] },
  ],
};
