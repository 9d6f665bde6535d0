import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { click, emailId, netsuiteMessages, PEOPLE } from '../autopilot/kit.js';

const ANA_CONTACT = '201';

interface Choice {
  title: string;
  value: string;
}

/** The static choices of the records picker in a card answered as JSON text. */
function recordChoices(cardText: string): Choice[] {
  const found: Choice[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Input.ChoiceSet' && o.id === 'records') found.push(...(o.choices as Choice[]));
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(cardText));
  return found;
}

describe('the records picker without typeahead: recent records and Find a record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.watch('support@contoso.com');
  });
  afterAll(async () => h?.close());

  it("offers the team's recent records on an unknown sender's card, and saves to the one picked exactly once", async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Known sender' });
    await h.settle();
    const known = await emailId(h, 'Known sender');
    expect((await click(h, Verb.save, { emailId: known, records: `contact:${ANA_CONTACT}` }, PEOPLE.megan)).kind).toBe(
      'card',
    );
    await h.settle();

    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'stranger@unknown.example', subject: 'New sender' });
    await h.settle();
    const id = await emailId(h, 'New sender');
    const card = await click(h, Verb.refresh, { emailId: id }, PEOPLE.alex);
    expect(card.kind).toBe('card');
    expect(validateCard(JSON.parse(card.text))).toEqual([]);
    const choice = recordChoices(card.text).find((c) => c.value === `contact:${ANA_CONTACT}`);
    expect(choice?.title).toMatch(/ \(Contact\) · saved recently$/);

    const saved = await click(h, Verb.save, { emailId: id, records: choice?.value }, PEOPLE.alex);
    expect(saved.kind).toBe('card');
    await h.settle();
    const again = await click(h, Verb.save, { emailId: id, records: choice?.value }, PEOPLE.alex);
    expect(again.text).toMatch(/^Already saved to .* \(Contact\) by /);
    await h.settle();
    const messages = netsuiteMessages(h, 'New sender');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.fields.entity).toBe(ANA_CONTACT);
  });

  it('Find a record: searches NetSuite from the card, offers the results first, and saves the one picked exactly once', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'other@unknown.example', subject: 'Found it' });
    await h.settle();
    const id = await emailId(h, 'Found it');
    const saves = async () =>
      (await h.mailroom.repos.associations.forMessage(FIXTURE_IDS.tenantId, await imid(id))).length;

    // Bad or empty searches answer with what to do, and change nothing.
    expect(await click(h, Verb.find, { emailId: id, find: ' ' }, PEOPLE.alex)).toEqual({
      kind: 'message',
      text: 'Type at least two characters of a name, email or number in Find a record, then choose Find a record.',
    });
    expect(await click(h, Verb.find, { emailId: id, find: 'x'.repeat(101) }, PEOPLE.alex)).toEqual({
      kind: 'message',
      text: 'That search is too long: use at most 100 characters of a name, email or number.',
    });
    expect(await click(h, Verb.find, { emailId: id, find: 'zzqqxx' }, PEOPLE.alex)).toEqual({
      kind: 'message',
      text: 'No NetSuite record matches "zzqqxx". Try another name, email or number.',
    });
    // The search text comes back as typed, never as markdown or hidden characters.
    expect(
      await click(h, Verb.find, { emailId: id, find: '**zz** [x](https://e.example)\u202E' }, PEOPLE.alex),
    ).toEqual({
      kind: 'message',
      text: 'No NetSuite record matches "\\*\\*zz\\*\\* \\[x\\](https://e.example)". Try another name, email or number.',
    });
    expect(await saves()).toBe(0);

    const found = await click(h, Verb.find, { emailId: id, find: 'Ana' }, PEOPLE.alex);
    expect(found.kind).toBe('card');
    expect(validateCard(JSON.parse(found.text))).toEqual([]);
    expect(found.text).toMatch(
      /Found \d+ records? for \\"Ana\\": pick in NetSuite records above, then choose Save to NetSuite\./,
    );
    const first = recordChoices(found.text)[0];
    expect(first?.title).toMatch(/^Ana.* \((Contact|Customer)\)$/);
    expect(await saves()).toBe(0);

    expect((await click(h, Verb.save, { emailId: id, records: first?.value, find: 'Ana' }, PEOPLE.alex)).kind).toBe(
      'card',
    );
    await h.settle();
    expect((await click(h, Verb.save, { emailId: id, records: first?.value }, PEOPLE.alex)).text).toMatch(
      /^Already saved to /,
    );
    await h.settle();
    expect(netsuiteMessages(h, 'Found it')).toHaveLength(1);
    expect(await saves()).toBe(1);
  });

  it('Find a record from another tenant is refused before any handler: 403, no NetSuite search, nothing stored', async () => {
    const id = await emailId(h, 'Found it');
    const other = '0bad7e4a-1111-4222-8333-444455556666';
    const before = await dbSnapshot(h.mailroom.db.kysely);
    const searches = h.sandbox.netsuite.state.counters.requests;
    const res = await h.send(
      activity('cardAction', {
        conversation: { tenantId: other },
        channelData: { tenant: { id: other } },
        value: { action: { type: 'Action.Execute', verb: Verb.find, data: { emailId: id, find: 'Ana' } } },
      }),
    );
    expect(res.status).toBe(403);
    await h.settle();
    expect(h.sandbox.netsuite.state.counters.requests).toBe(searches);
    expect(await dbSnapshot(h.mailroom.db.kysely)).toEqual(before);
  });

  async function imid(id: string): Promise<string> {
    const email = await h.mailroom.repos.emails.byId(FIXTURE_IDS.tenantId, id);
    if (!email) throw new Error(`no email ${id}`);
    return email.internetMessageId;
  }
});
