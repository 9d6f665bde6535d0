import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputId, Verb } from '../../../bot/src/teams/actions.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { click, emailId, PEOPLE } from '../autopilot/kit.js';

const OUT_OF_DATE = 'This card was out of date';

/**
 * Issue 13: a click on a card that moved on, or one whose data Mailroom cannot read, is not a passing fault. It
 * answers with the email's card as it is now, saying the card was out of date, and changes nothing.
 */
describe('a click on an out-of-date or malformed card', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Stale buttons' });
    await h.settle();
    id = await emailId(h, 'Stale buttons');
  });
  afterAll(async () => h?.close());

  /** What a click must not change: rows, queued jobs, NetSuite, and the channel. */
  async function world() {
    const count = async (table: 'associations' | 'jobs' | 'claims' | 'audit_log') =>
      Number(
        (
          await h.mailroom.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      associations: await count('associations'),
      jobs: await count('jobs'),
      claims: await count('claims'),
      audit: await count('audit_log'),
      netsuite: h.sandbox.netsuite.state.messages().length,
      posts: h.connector.posts.length,
    };
  }

  async function expectCurrentCard(verb: string, data: Record<string, unknown>) {
    const before = await world();
    const answer = await click(h, verb, data, PEOPLE.adele);
    expect(answer.kind, answer.text).toBe('card');
    const card = JSON.parse(answer.text) as Record<string, unknown>;
    expect(validateCard(card)).toEqual([]);
    expect(answer.text).toContain(OUT_OF_DATE);
    expect(answer.text).toContain('Stale buttons');
    expect(answer.text).not.toMatch(/could not do that just now|try again in a moment/i);
    expect(await world()).toEqual(before);
    return answer.text;
  }

  it('answers an unknown verb with the current card', async () => {
    await expectCurrentCard('archive', { emailId: id });
  });

  it('answers data it cannot read with the current card', async () => {
    await expectCurrentCard(Verb.save, { emailId: id, [InputId.records]: 'planet:7' });
    await expectCurrentCard(Verb.retry, { emailId: id });
    await expectCurrentCard(Verb.autopilot, { emailId: id, [InputId.autopilotKind]: 'everything' });
  });

  it('answers a Retry of a save that is no longer failed with the current card', async () => {
    const saved = await click(h, Verb.save, { emailId: id, [InputId.records]: 'contact:201' });
    expect(saved.kind).toBe('card');
    await h.settle();
    const assoc = await h.mailroom.db.kysely
      .selectFrom('associations')
      .select(['id', 'status'])
      .where('email_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(assoc.status).toBe('saved');
    const text = await expectCurrentCard(Verb.retry, { emailId: id, associationId: assoc.id });
    expect(text).toContain('Saved to');
  });

  it('answers a Release of an email nobody claims with the current card, which offers Claim', async () => {
    const text = await expectCurrentCard(Verb.release, { emailId: id });
    expect(text).toContain(`"verb":"${Verb.claim}"`);
  });

  it('says so in words when the card names no email it knows', async () => {
    for (const data of [{}, { emailId: 'no-such-email' }, { emailId: 42 }]) {
      const before = await world();
      const answer = await click(h, Verb.claim, data);
      expect(answer.kind).toBe('message');
      expect(answer.text).toContain(OUT_OF_DATE);
      expect(await world()).toEqual(before);
    }
  });
});
