import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { graphSeed, SANDBOX_TEAM_GROUP_ID, SANDBOX_TENANT_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { SANDBOX_PEOPLE, SANDBOX_TEAM_OWNER } from '../../../bot/src/sandbox/people.js';
import { PLAYGROUND_CONFIG } from '../../../bot/src/sandbox/playground.js';
import { SANDBOX_TAB_USERS } from '../../../bot/src/sandbox/tab-issuer.js';

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}
const config = parse(readFileSync(PLAYGROUND_CONFIG, 'utf8')) as {
  tenantId: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  team: { aadGroupId: string };
};

describe('one identity per sandbox person', () => {
  it('the Playground config has exactly the table’s people, with the same MRI, object id and UPN', () => {
    const yaml = [config.currentUser, ...config.users];
    expect(yaml.map((u) => u.id)).toEqual(SANDBOX_PEOPLE.map((p) => p.mri));
    for (const [i, p] of SANDBOX_PEOPLE.entries()) {
      expect(yaml[i]).toEqual({
        id: p.mri,
        name: p.displayName,
        userPrincipleName: p.upn,
        aadObjectId: p.oid,
        givenName: p.givenName,
        surname: p.surname,
        email: p.upn,
      });
    }
    expect(config.tenantId).toBe(SANDBOX_TENANT_ID);
    expect(config.team.aadGroupId).toBe(SANDBOX_TEAM_GROUP_ID);
  });

  it('the Graph emulator’s directory, mailboxes and team roster, and the Dashboard’s issuer, use the same ids', () => {
    for (const p of SANDBOX_PEOPLE) {
      expect(graphSeed.users.find((u) => u.id === p.oid)).toMatchObject({
        userPrincipalName: p.upn,
        displayName: p.displayName,
        purpose: 'user',
      });
      expect(SANDBOX_TAB_USERS.find((u) => u.oid === p.oid)).toEqual({ oid: p.oid, name: p.displayName, upn: p.upn });
    }
    const team = graphSeed.teams?.find((t) => t.aadGroupId === SANDBOX_TEAM_GROUP_ID);
    expect(team?.members.map((m) => m.userId)).toEqual(SANDBOX_PEOPLE.map((p) => p.oid));
    expect(team?.members.filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([SANDBOX_TEAM_OWNER.oid]);
    expect(new Set(SANDBOX_PEOPLE.map((p) => p.oid)).size).toBe(SANDBOX_PEOPLE.length);
  });
});
