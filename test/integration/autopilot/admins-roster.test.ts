import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { rosterFromGraphMembers } from '../../../bot/src/mail/graph-team-owners.js';
import { AdminRoster } from '../../../bot/src/teams/admins-roster.js';

const turn = (id: string, aadGroupId: string | null = 'team-1', upn?: string) => ({
  tenantId: 't1',
  aadGroupId,
  user: { id, name: 'X', ...(upn ? { upn } : {}) },
});

describe('Mailroom admins: MAILROOM_ADMINS plus the owners of the team', () => {
  it('reads owners from a Graph conversationMember page', () => {
    const page = {
      value: [
        { userId: 'AAA', roles: ['owner'] },
        { userId: 'bbb', roles: [] },
        { userId: 'ccc', roles: ['guest'] },
      ],
    };
    expect(rosterFromGraphMembers(page).owners).toEqual(['aaa']);
    expect(rosterFromGraphMembers(null).owners).toEqual([]);
  });

  it('counts configured object ids (never UPNs) and team owners, caching the roster per team', async () => {
    let calls = 0;
    let now = 0;
    const roster = new AdminRoster({
      configured: ['cfg-id', 'boss@contoso.com'],
      rosterOf: async () => {
        calls++;
        return { members: ['owner-id', 'member-id'], owners: ['owner-id'] };
      },
      clock: () => new Date(now),
    });
    expect(await roster.isAdmin(turn('cfg-id'))).toBe(true);
    expect(await roster.isAdmin(turn('someone', null, 'Boss@Contoso.com'))).toBe(false);
    expect(await roster.reasons(turn('cfg-id'))).toEqual(['listed']);
    expect(await roster.reasons(turn('owner-id'))).toEqual(['team_owner']);
    expect(await roster.isAdmin(turn('owner-id'))).toBe(true);
    expect(await roster.isAdmin(turn('member-id'))).toBe(false);
    expect(calls).toBe(1);
    now += 6 * 60_000;
    await roster.isAdmin(turn('member-id'));
    expect(calls).toBe(2);
    // Outside a team only MAILROOM_ADMINS count.
    expect(await roster.isAdmin(turn('owner-id', null))).toBe(false);
  });

  it('treats an unreadable roster as no owners', async () => {
    const roster = new AdminRoster({
      configured: [],
      rosterOf: async () => {
        throw new Error('403');
      },
    });
    expect(await roster.isAdmin(turn('owner-id'))).toBe(false);
  });

  it('counts members of the admin group, asking Graph once per person per TTL, and none when Graph fails', async () => {
    let calls = 0;
    let failing = false;
    const roster = new AdminRoster({
      configured: [],
      adminGroup: {
        id: 'grp',
        isMember: async (userId, groupId) => {
          calls++;
          if (failing) throw new Error('503');
          return groupId === 'grp' && userId === 'in-group';
        },
      },
    });
    expect(await roster.isAdmin(turn('in-group', null))).toBe(true);
    expect(await roster.reasons(turn('in-group', null))).toEqual(['admin_group']);
    expect(await roster.isGlobalAdmin('in-group')).toBe(true);
    expect(calls).toBe(1);
    failing = true;
    expect(await roster.isGlobalAdmin('not-yet-asked')).toBe(false);
  });
  it('says which teams a person is in from one roster read per team for everyone, and none when Graph refuses', async () => {
    const reads: string[] = [];
    let now = 0;
    let refuse = false;
    const roster = new AdminRoster({
      configured: [],
      rosterOf: async (_t, group) => {
        reads.push(group);
        if (refuse) {
          throw new MailroomError('graph_access_denied', '403 Forbidden', { remedy: 'Grant TeamMember.Read.All.' });
        }
        return group === 'G-A' ? { members: ['ALEX', 'adele'], owners: ['adele'] } : { members: ['adele'], owners: [] };
      },
      clock: () => new Date(now),
    });
    // Two requests at once share each team's read; ids keep their case, people compare without it.
    const [alex, adele] = await Promise.all([
      roster.teamsOf('t1', 'alex', ['G-A', 'g-b', 'G-A']),
      roster.teamsOf('t1', 'ADELE', ['G-A', 'g-b']),
    ]);
    expect(alex).toEqual({ teams: ['G-A'], problem: null });
    expect(adele).toEqual({ teams: ['G-A', 'g-b'], problem: null });
    expect(await roster.ownsTeam('t1', 'adele', 'G-A')).toBe(true);
    expect(reads.sort()).toEqual(['G-A', 'g-b']);
    expect(await roster.teamsOf('t1', 'diego', ['G-A'])).toEqual({ teams: [], problem: null });
    expect(await roster.teamsOf('t1', 'alex', [])).toEqual({ teams: [], problem: null });
    expect(reads).toHaveLength(2);

    now += 6 * 60_000;
    refuse = true;
    const refused = await roster.teamsOf('t1', 'alex', ['G-A']);
    expect(refused.teams).toEqual([]);
    expect(refused.problem).toMatchObject({ code: 'team_members_unreadable', remedy: 'Grant TeamMember.Read.All.' });
    expect(await roster.ownsTeam('t1', 'adele', 'G-A')).toBe(false);
    expect(reads).toHaveLength(3);
    // Asked again after 30 seconds, not after the five minutes a good answer is kept.
    refuse = false;
    now += 31_000;
    expect((await roster.teamsOf('t1', 'alex', ['G-A'])).teams).toEqual(['G-A']);
    expect(reads).toHaveLength(4);
  });
});
