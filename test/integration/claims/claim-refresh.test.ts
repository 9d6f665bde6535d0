import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCardJob } from '../../../bot/src/jobs/kinds.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { TeamsClients } from '../../helpers/teams-client.js';
import { validateCard } from '../../helpers/validate-card.js';
import { emailId, PEOPLE } from '../autopilot/kit.js';

const buttons = (card: Record<string, unknown>) =>
  [...JSON.stringify(card).matchAll(/"verb":"([a-z]+)"/g)].map((m) => m[1]).filter((v) => v !== 'refresh');

describe('the claimer sees Release after Teams refreshes the card, and only the claimer is refreshed', () => {
  let h: Harness;
  let teams: TeamsClients;
  const cardOf = async (subject: string) => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject });
    await h.settle();
    const id = await emailId(h, subject);
    const post = h.connector.posts.find((p) => p.op === 'thread' && JSON.stringify(p.activity).includes(id));
    if (!post) throw new Error(`no card for ${subject}`);
    return { id, activityId: post.activityId };
  };

  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    teams = new TeamsClients(h.connector, h.send);
    await h.watch('support@contoso.com');
  });
  afterAll(async () => h?.close());

  it('lists the claimer by MRI, so the update that follows a claim refreshes them into their own view', async () => {
    const { id, activityId } = await cardOf('Where is my order?');
    const answer = await teams.click(PEOPLE.adele, activityId, 'claim', { emailId: id });
    expect(answer.kind).toBe('card');
    await h.settle();

    const base = h.connector.cards().get(activityId) ?? {};
    expect(base.refresh).toMatchObject({ userIds: [PEOPLE.adele.id] });
    expect(JSON.stringify(base.refresh)).not.toContain(PEOPLE.adele.aadObjectId);

    const adele = await teams.see(PEOPLE.adele, activityId);
    expect(validateCard(adele)).toEqual([]);
    expect(buttons(adele)).toContain('release');
    const megan = await teams.see(PEOPLE.megan, activityId);
    expect(buttons(megan)).not.toContain('release');
    expect(buttons(megan)).not.toContain('claim');
    expect(JSON.stringify(megan)).toContain('Claimed by Adele Vance');
    expect(teams.refreshes.map((r) => r.mri)).toEqual([PEOPLE.adele.id]);

    // Megan refreshes from the menu: her answer carries no refresh, so teams-ai updates nobody's card with it.
    const puts = () => h.connector.posts.filter((p) => p.op === 'update' && p.activityId === activityId).length;
    const before = puts();
    const answer2 = await teams.click(PEOPLE.megan, activityId, 'refresh', { emailId: id });
    expect(answer2.kind === 'card' && answer2.card.refresh).toBeUndefined();
    expect(puts()).toBe(before);
    // …nor with Adele's Release view when she is refreshed next (teams-ai keeps its switch per verb).
    await teams.click(PEOPLE.adele, activityId, 'refresh', { emailId: id });
    expect(puts()).toBe(before);
    expect(buttons(await teams.see(PEOPLE.megan, activityId))).not.toContain('release');

    // Later the card changes for everyone (a card job); Adele is refreshed again and keeps Release.
    await h.mailroom.queue.enqueue(updateCardJob(FIXTURE_IDS.tenantId, id));
    await h.settle();
    expect(puts()).toBe(before + 1);
    expect(buttons(await teams.see(PEOPLE.adele, activityId))).toContain('release');

    // An hour on, opening the channel refreshes her again; nobody else is asked.
    teams.advance(3_600_000);
    expect(buttons(await teams.open(PEOPLE.adele, activityId))).toContain('release');
    await teams.open(PEOPLE.megan, activityId);
    expect(new Set(teams.refreshes.filter((r) => r.trigger === 'automatic').map((r) => r.mri))).toEqual(
      new Set([PEOPLE.adele.id]),
    );

    // Release, by the claimer, from the card she sees.
    const released = await teams.click(PEOPLE.adele, activityId, 'release', { emailId: id });
    expect(released.kind === 'card' && buttons(released.card)).toContain('claim');
    await h.settle();
    expect(h.connector.cards().get(activityId)?.refresh).toBeUndefined();
  });

  it('a claim stored before MRIs were kept refreshes nobody, until the claimer refreshes from the menu', async () => {
    const { id, activityId } = await cardOf('Invoice 7 is wrong');
    await teams.click(PEOPLE.adele, activityId, 'claim', { emailId: id });
    await h.settle();
    // As a claim made before migration 005: no MRI.
    await h.mailroom.db.kysely.updateTable('claims').set({ user_mri: null }).where('email_id', '=', id).execute();
    await h.mailroom.queue.enqueue(updateCardJob(FIXTURE_IDS.tenantId, id)); // any update of the card
    await h.settle();
    const base = h.connector.cards().get(activityId) ?? {};
    expect(base.refresh).toMatchObject({ userIds: [] });
    const before = teams.refreshes.length;
    expect(buttons(await teams.see(PEOPLE.adele, activityId))).not.toContain('release');
    expect(teams.refreshes.length).toBe(before);

    expect(buttons(await teams.refreshFromMenu(PEOPLE.adele, activityId))).toContain('release');
    const row = await h.mailroom.db.kysely
      .selectFrom('claims')
      .select('user_mri')
      .where('email_id', '=', id)
      .executeTakeFirst();
    expect(row?.user_mri).toBe(PEOPLE.adele.id);
  });

  it('a refresh by someone who is not the claimer cannot get them Release', async () => {
    const { id, activityId } = await cardOf('Return label please');
    await teams.click(PEOPLE.adele, activityId, 'claim', { emailId: id });
    await h.settle();
    const megan = await teams.refreshFromMenu(PEOPLE.megan, activityId);
    expect(buttons(megan)).not.toContain('release');
    const refused = await teams.click(PEOPLE.megan, activityId, 'release', { emailId: id });
    expect(refused).toMatchObject({ kind: 'message' });
    const row = await h.mailroom.db.kysely.selectFrom('claims').select('user_id').where('email_id', '=', id).execute();
    expect(row).toEqual([{ user_id: PEOPLE.adele.aadObjectId }]);
  });
});
