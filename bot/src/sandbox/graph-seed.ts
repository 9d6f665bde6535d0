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

export interface GraphSeed {
  tenantId: string;
  users: SeedUser[];
  /** Teams whose rosters `GET /teams/{id}/members` serves: their owners are Mailroom admins. */
  teams?: SeedTeam[];
}

export const SANDBOX_TENANT_ID = '7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
export const SANDBOX_CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000a11a';
/** Not a secret: it only opens the local emulator. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-graph-secret';
export const SANDBOX_DOMAIN = 'contoso.com';

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
    {
      // A person whose mailbox a watcher reaches with delegate access.
      id: '5b1c2a3d-3333-4a3a-9a3a-00000000c003',
      userPrincipalName: 'megan@contoso.com',
      displayName: 'Megan Bowen',
      purpose: 'user',
      jobTitle: 'Account Manager',
    },
    {
      id: '5b1c2a3d-4444-4a4a-9a4a-00000000c004',
      userPrincipalName: 'adele@contoso.com',
      displayName: 'Adele Vance',
      purpose: 'user',
      jobTitle: 'Support Agent',
    },
    {
      id: '5b1c2a3d-5555-4a5a-9a5a-00000000c005',
      userPrincipalName: 'alex@contoso.com',
      displayName: 'Alex Wilber',
      purpose: 'user',
      jobTitle: 'Sales Agent',
    },
  ],
  teams: [
    {
      // The Agents Playground's team (.m365agentsplayground.yml); the ids are the playground's aadObjectIds, which
      // are what Teams activities carry, so Adele (the playground's current user) is an owner and so an admin.
      aadGroupId: '4c8e1f2a-9b3d-4e6f-8a7c-1d2e3f4a5b6c',
      displayName: 'Contoso Support Team',
      members: [
        {
          userId: 'a3d1c7e2-5b4f-4e0a-9c8d-7f6e5d4c3b2a',
          displayName: 'Adele Vance',
          email: 'adele@contoso.com',
          role: 'owner',
        },
        {
          userId: '5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b',
          displayName: 'Alex Wilber',
          email: 'alex@contoso.com',
          role: 'member',
        },
        {
          userId: '6f2a3b4c-5d6e-4f7a-9b8c-0d1e2f3a4b5c',
          displayName: 'Megan Bowen',
          email: 'megan@contoso.com',
          role: 'member',
        },
      ],
    },
  ],
};
