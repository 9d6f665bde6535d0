import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { authorizeTeamMailbox, reachedMailboxes } from '../../../bot/src/core/team-reach.js';

const mailbox = (id: string, teamId: string | null, teamGroupId: string | null) => ({
  id,
  address: `${id}@contoso.com`,
  teamId,
  teamGroupId,
});

describe('which shared mailboxes a chat command reaches', () => {
  const asked: string[][] = [];
  let refuse = false;
  const auth = {
    isGlobalAdmin: async (id: string) => id === 'boss',
    teamsOf: async (_t: string, userId: string, groups: readonly string[]) => {
      asked.push([...groups]);
      if (refuse) return { teams: [], problem: new MailroomError('team_members_unreadable', '403') };
      return { teams: groups.filter((g) => g === 'g-sales' && userId === 'alex'), problem: null };
    },
  };
  const from = (actorId: string, teamId: string | null) => ({ tenantId: 't1', actorId, teamId });
  const sales = mailbox('sales', '19:sales', 'g-sales');
  const legacy = mailbox('legacy', '19:legacy', null);
  const unknown = mailbox('unknown', null, null);

  it('reaches its own team’s channel without Graph, others by the roster, and an unknown team only for admins', async () => {
    asked.length = 0;
    expect([...(await reachedMailboxes(auth, from('diego', '19:legacy'), [sales, legacy, unknown])).ids]).toEqual([
      'legacy',
    ]);
    expect(asked).toEqual([['g-sales']]);
    expect([...(await reachedMailboxes(auth, from('alex', null), [sales, legacy, unknown])).ids]).toEqual(['sales']);
    expect([...(await reachedMailboxes(auth, from('boss', null), [sales, legacy, unknown])).ids].sort()).toEqual([
      'legacy',
      'sales',
      'unknown',
    ]);
    asked.length = 0;
    await expect(authorizeTeamMailbox(auth, from('alex', '19:sales'), sales, 'turn autopilot on for')).resolves.toBe(
      undefined,
    );
    expect(asked).toEqual([]);
  });

  it('refuses with who can, and says when the roster could not be read', async () => {
    await expect(
      authorizeTeamMailbox(auth, from('diego', null), unknown, 'turn autopilot on for'),
    ).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
      message: expect.stringMatching(
        /^Only members of the team that gets unknown@contoso.com’s cards, or a Mailroom admin/,
      ),
    });
    refuse = true;
    await expect(
      authorizeTeamMailbox(auth, from('alex', null), sales, 'see the autopilot rules of'),
    ).rejects.toMatchObject({
      message: expect.stringContaining('could not read that team’s members'),
      remedy: expect.stringContaining('TeamMember.Read.All'),
    });
    refuse = false;
  });
});
