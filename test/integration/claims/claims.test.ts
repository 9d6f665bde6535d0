import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { channelCards, click, emailId, PEOPLE } from '../autopilot/kit.js';

describe('claims from the card: first click wins, and only the claimer or an admin releases', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    // Alex is a Mailroom admin; Adele and Megan are not.
    h = await startHarness({ netsuite: false, env: { MAILROOM_ADMINS: PEOPLE.alex.aadObjectId } });
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Where is my order?' });
    await h.settle();
    id = await emailId(h, 'Where is my order?');
  });
  afterAll(async () => h?.close());

  it('gives two claims at the same moment one winner and one "Already claimed by …"', async () => {
    const [a, b] = await Promise.all([
      click(h, Verb.claim, { emailId: id }, PEOPLE.adele),
      click(h, Verb.claim, { emailId: id }, PEOPLE.megan),
    ]);
    const answers = [a, b];
    const winners = answers.filter((x) => x.kind === 'card');
    const losers = answers.filter((x) => x.kind === 'message');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winner = a.kind === 'card' ? PEOPLE.adele : PEOPLE.megan;
    expect(losers[0]?.text).toBe(`Already claimed by ${winner.name}`);
    expect(validateCard(JSON.parse(winners[0]?.text ?? '{}'))).toEqual([]);
    expect(winners[0]?.text).toContain('Release');

    await h.settle();
    const cards = channelCards(h);
    expect(cards.some((c) => c.includes(`Claimed by ${winner.name}`) && c.includes('replying privately'))).toBe(true);
    const rows = await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute();
    expect(rows).toHaveLength(1);

    // Leave Adele as the claimer for the next tests.
    if (winner !== PEOPLE.adele) {
      await click(h, Verb.release, { emailId: id }, PEOPLE.megan);
      expect((await click(h, Verb.claim, { emailId: id }, PEOPLE.adele)).kind).toBe('card');
    }
  });

  it('refuses a release by someone else, and lets the claimer release', async () => {
    const refused = await click(h, Verb.release, { emailId: id }, PEOPLE.megan);
    expect(refused.kind).toBe('message');
    expect(refused.text).toContain('only Adele Vance or a Mailroom admin can release it');

    const released = await click(h, Verb.release, { emailId: id }, PEOPLE.adele);
    expect(released.kind).toBe('card');
    expect(released.text).toContain('Claim');
    await h.settle();
    const claims = await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute();
    expect(claims).toHaveLength(0);
  });

  it("lets a Mailroom admin release another person's claim", async () => {
    expect((await click(h, Verb.claim, { emailId: id }, PEOPLE.megan)).kind).toBe('card');
    const byAdmin = await click(h, Verb.release, { emailId: id }, PEOPLE.alex);
    expect(byAdmin.kind).toBe('card');
    const audit = await h.mailroom.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('subject', '=', id)
      .execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['claim', 'release']));
  });
});
