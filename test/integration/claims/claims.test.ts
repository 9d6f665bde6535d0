import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
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

  it('gives two claims at the same moment one winner; the other gets the card as it is now, naming the holder', async () => {
    const [a, b] = await Promise.all([
      click(h, Verb.claim, { emailId: id }, PEOPLE.adele),
      click(h, Verb.claim, { emailId: id }, PEOPLE.megan),
    ]);
    expect([a.kind, b.kind]).toEqual(['card', 'card']);
    const lost = (x: typeof a) => x.text.includes('Already claimed by');
    const winners = [a, b].filter((x) => !lost(x));
    const losers = [a, b].filter(lost);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winner = winners[0] === a ? PEOPLE.adele : PEOPLE.megan;
    expect(validateCard(JSON.parse(winners[0]?.text ?? '{}'))).toEqual([]);
    expect(winners[0]?.text).toContain(`"verb":"${Verb.release}"`);
    expect(validateCard(JSON.parse(losers[0]?.text ?? '{}'))).toEqual([]);
    expect(losers[0]?.text).toContain(`Already claimed by ${winner.name}. ${winner.name} is replying`);
    expect(losers[0]?.text).toContain(`Claimed by ${winner.name}`);

    await h.settle();
    const cards = channelCards(h);
    expect(cards.some((c) => c.includes(`Claimed by ${winner.name}`) && c.includes('replying privately'))).toBe(true);
    const rows = await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute();
    expect(rows).toHaveLength(1);

    // Leave Adele as the claimer for the next tests.
    if (winner !== PEOPLE.adele) {
      await click(h, Verb.release, { emailId: id }, PEOPLE.megan);
      expect((await click(h, Verb.claim, { emailId: id }, PEOPLE.adele)).text).not.toContain('Already claimed');
    }
  });

  it('answers a claim of an email someone holds with the refreshed card, and changes nothing', async () => {
    await h.settle();
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const posts = h.connector.posts.length;
    const answer = await click(h, Verb.claim, { emailId: id }, PEOPLE.megan);
    expect(answer.kind).toBe('card');
    expect(validateCard(JSON.parse(answer.text))).toEqual([]);
    expect(answer.text).toContain('Already claimed by Adele Vance. Adele Vance is replying to this email privately.');
    expect(answer.text).toContain('Claimed by Adele Vance');
    // Megan's view: no Release button of her own.
    expect(answer.text).not.toContain(`"verb":"${Verb.release}"`);
    await h.settle();
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
    expect(h.connector.posts.length).toBe(posts);
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
