import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicense } from '../../../bot/src/sandbox/license-keys.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { channelCards, click, emailId, netsuiteMessages, PEOPLE, say, sayPrivately } from './kit.js';

const ANA_CONTACT = '201';

describe('autopilot and licenses, from chat and cards, through the save pipeline', () => {
  let h: Harness;
  beforeAll(async () => {
    const license = await issueDemoLicense(FIXTURE_IDS.tenantId, { seats: 5 });
    h = await startHarness({
      env: {
        LICENSE_KEY: license.key,
        LICENSE_PUBLIC_KEY: license.publicKeyPem,
        MAILROOM_ADMINS: PEOPLE.adele.aadObjectId,
      },
    });
    await h.watch('support@contoso.com');
    await h.watch('sales@contoso.com');
  });
  afterAll(async () => h?.close());

  it('answers command mistakes with what to type', async () => {
    expect(await say(h, '/autopilot on')).toContain(
      '/autopilot on needs a mailbox, or me for your own. Try: /autopilot on sales@',
    );
    expect(await say(h, '/autopilot on nobody@')).toContain('No watched mailbox is called nobody@');
    expect(await say(h, '/license assign')).toContain('Try: /license assign sales@');
    expect(await say(h, '/autopilot sideways sales@')).toContain('Try: /autopilot on sales@');
  });

  it('refuses /autopilot on a mailbox without a seat, saying what to do', async () => {
    const text = await say(h, '/autopilot on sales@');
    expect(text).toContain(
      'sales@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign sales@contoso.com (0 of 5 seats in use).',
    );
    expect(await h.mailroom.repos.rules.listForStatus(FIXTURE_IDS.tenantId)).toHaveLength(0);
  });

  it('lets only an admin assign a seat', async () => {
    expect(await say(h, '/license assign sales@', PEOPLE.alex)).toContain(
      'Only a Mailroom admin can run /license assign sales@contoso.com',
    );
    expect(await say(h, '/license assign sales@', PEOPLE.adele)).toContain(
      'sales@contoso.com now has a Mailroom license (1 of 5 seats in use).',
    );
    const status = await say(h, '/license status');
    expect(validateCard(JSON.parse(status))).toEqual([]);
    expect(status).toContain('1 of 5 in use');
    expect(status).toContain('sales@contoso.com');
    // Asked about one mailbox, the answer ends with that mailbox's seat and the next step.
    expect(await say(h, '/license status sales@')).toContain(
      'sales@contoso.com holds a seat: autopilot can run for it.',
    );
    expect(await say(h, '/license status support@')).toContain(
      'support@contoso.com holds no seat, so autopilot cannot run for it. A Mailroom admin gives it one with /license assign support@contoso.com.',
    );
  });

  it("saves a new email to its sender's NetSuite match, and notes a sender with no match", async () => {
    expect(await say(h, '/autopilot on sales@', PEOPLE.alex)).toContain('Autopilot is on for sales@contoso.com');
    h.sandbox.graph.deliver({
      to: ['sales@contoso.com'],
      from: 'ana@fabrikam.com',
      fromName: 'Ana Ruiz',
      subject: 'Quote for 40 chairs',
    });
    h.sandbox.graph.deliver({ to: ['sales@contoso.com'], from: 'someone@unknown.example', subject: 'Cold pitch' });
    await h.settle();

    const saved = netsuiteMessages(h, 'Quote for 40 chairs');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.fields.entity).toBe(ANA_CONTACT);
    // SuiteScript's message has no `incoming` field: the direction is who wrote it to whom.
    expect(saved[0]?.fields).toMatchObject({ authoremail: 'ana@fabrikam.com', recipientemail: 'sales@contoso.com' });
    const cards = channelCards(h);
    const quote = cards.find((c) => c.includes('Quote for 40 chairs') && c.includes('Auto-saved to'));
    expect(quote).toContain('by autopilot (rule by Alex Wilber)');

    expect(netsuiteMessages(h, 'Cold pitch')).toHaveLength(0);
    expect(cards.some((c) => c.includes('Cold pitch') && c.includes('No NetSuite match, save it by hand'))).toBe(true);

    const status = await say(h, '/autopilot status sales@');
    expect(validateCard(JSON.parse(status))).toEqual([]);
    expect(status).toContain('Whole mailbox: sales@contoso.com');
    expect(status).toContain('Alex Wilber');
  });

  it('lets only the owner or an admin turn a rule off', async () => {
    expect(await say(h, '/autopilot off sales@', PEOPLE.megan)).toContain(
      'Autopilot for sales@contoso.com was turned on by Alex Wilber; only Alex Wilber or an admin can turn it off.',
    );
    expect(await say(h, '/autopilot off sales@', PEOPLE.alex)).toContain('Autopilot for sales@contoso.com is off.');
    expect(await say(h, '/autopilot on sales@', PEOPLE.alex)).toContain('Autopilot is on');
    expect(await say(h, '/autopilot off sales@', PEOPLE.adele)).toContain('Autopilot for sales@contoso.com is off.');
  });

  it('answers Autopilot with nothing picked, on a mailbox without a seat, with both needs in one answer', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'nobody@unknown.example', subject: 'Nothing picked' });
    await h.settle();
    const id = await emailId(h, 'Nothing picked');
    const answer = await click(h, Verb.autopilot, { emailId: id, records: '', autopilotKind: 'thread' }, PEOPLE.megan);
    expect(answer).toEqual({
      kind: 'message',
      text: 'Pick at least one record first, or type to search NetSuite. Autopilot also needs a license: support@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign support@contoso.com (1 of 5 seats in use).',
    });
    expect(await h.mailroom.repos.rules.listForStatus(FIXTURE_IDS.tenantId)).toHaveLength(0);
  });

  it('puts a thread on autopilot from the card once the mailbox has a seat, and saves the outgoing reply from the mailbox to the customer', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Broken hinge' });
    await h.settle();
    const id = await emailId(h, 'Broken hinge');
    const data = { emailId: id, records: `contact:${ANA_CONTACT}`, autopilotKind: 'thread' };

    const refused = await click(h, Verb.autopilot, data, PEOPLE.megan);
    expect(refused).toEqual({
      kind: 'message',
      text: 'support@contoso.com has no Mailroom license. Ask a Mailroom admin to run /license assign support@contoso.com (1 of 5 seats in use).',
    });
    await say(h, '/license assign support@', PEOPLE.adele);
    const card = await click(h, Verb.autopilot, data, PEOPLE.megan);
    expect(card.kind).toBe('card');
    expect(validateCard(JSON.parse(card.text))).toEqual([]);
    await h.settle();
    expect(netsuiteMessages(h, 'Broken hinge')).toHaveLength(1);

    const first = h.sandbox.graph.state.messages.find((m) => m.subject === 'Broken hinge');
    h.sandbox.graph.deliver({
      to: ['ana@fabrikam.com'],
      from: 'support@contoso.com',
      subject: 'Re: Broken hinge',
      ...(first ? { inReplyTo: first.internetMessageId } : {}),
    });
    await h.settle();
    const reply = netsuiteMessages(h, 'Re: Broken hinge');
    expect(reply).toHaveLength(1);
    expect(reply[0]?.fields).toMatchObject({ authoremail: 'support@contoso.com', recipientemail: 'ana@fabrikam.com' });
    expect(reply[0]?.fields.entity).toBe(ANA_CONTACT);
    // /autopilot status names the thread by its subject, as people know it.
    expect(await say(h, '/autopilot status support@')).toContain('thread \\"Broken hinge\\"');
  });

  it('puts an already-saved email on autopilot to the records it was saved to when nothing is picked', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Saved first' });
    await h.settle();
    const id = await emailId(h, 'Saved first');
    expect((await click(h, Verb.save, { emailId: id, records: `contact:${ANA_CONTACT}` }, PEOPLE.megan)).kind).toBe(
      'card',
    );
    await h.settle();
    const before = new Set((await h.mailroom.repos.rules.listForStatus(FIXTURE_IDS.tenantId)).map((r) => r.id));
    const card = await click(h, Verb.autopilot, { emailId: id, records: '', autopilotKind: 'thread' }, PEOPLE.megan);
    expect(card.kind).toBe('card');
    await h.settle();
    const added = (await h.mailroom.repos.rules.listForStatus(FIXTURE_IDS.tenantId)).filter((r) => !before.has(r.id));
    expect(added).toHaveLength(1);
    expect(added[0]?.kind).toBe('thread');
    expect(added[0]?.targets).toEqual([expect.objectContaining({ type: 'contact', id: ANA_CONTACT })]);
    // The save it already had is not repeated.
    expect(netsuiteMessages(h, 'Saved first')).toHaveLength(1);
  });

  it('scenario 2: an agent on autopilot replies from her own mailbox and CCs support@; one message per record', async () => {
    const refused = await sayPrivately(h, '/autopilot on me', PEOPLE.megan);
    expect(refused).toContain('megan@contoso.com has no Mailroom license');
    await say(h, '/license assign megan@contoso.com', PEOPLE.adele);
    expect(await sayPrivately(h, '/autopilot on me', PEOPLE.megan)).toContain('Autopilot is on for megan@contoso.com');
    const megan = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'megan@contoso.com');
    expect(megan?.channelConversationId).toBeNull();
    const subs = [...h.sandbox.graph.state.subscriptions.values()];
    expect(subs.some((s) => s.resource.includes(PEOPLE.megan.aadObjectId))).toBe(true);

    // Ana writes to Megan and CCs support@ on the thread under autopilot: both copies are saved to Ana, once.
    const root = h.sandbox.graph.state.messages.find((m) => m.subject === 'Broken hinge');
    const inReplyTo = root ? { inReplyTo: root.internetMessageId } : {};
    h.sandbox.graph.deliver({
      to: ['megan@contoso.com'],
      cc: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      subject: 'Re: Broken hinge (photos)',
      ...inReplyTo,
    });
    await h.settle();
    const copies = await h.mailroom.db.kysely
      .selectFrom('emails')
      .select('id')
      .where('subject', '=', 'Re: Broken hinge (photos)')
      .execute();
    expect(copies).toHaveLength(2);
    expect(netsuiteMessages(h, 'Re: Broken hinge (photos)')).toHaveLength(1);

    // Megan answers from her own mailbox and CCs support@: support's copy is on the thread rule.
    h.sandbox.graph.deliver({
      to: ['ana@fabrikam.com'],
      cc: ['support@contoso.com'],
      from: 'megan@contoso.com',
      subject: 'Re: Broken hinge (replacement sent)',
      ...inReplyTo,
    });
    await h.settle();
    const replies = await h.mailroom.db.kysely
      .selectFrom('emails')
      .select('id')
      .where('subject', '=', 'Re: Broken hinge (replacement sent)')
      .execute();
    expect(replies).toHaveLength(2);
    const saved = netsuiteMessages(h, 'Re: Broken hinge (replacement sent)');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.fields.entity).toBe(ANA_CONTACT);

    // Megan's own mailbox never gets channel cards.
    const meganCards = await h.mailroom.db.kysely
      .selectFrom('cards as c')
      .innerJoin('emails as e', 'e.id', 'c.email_id')
      .select('c.email_id')
      .where('e.mailbox_id', '=', megan?.id ?? '')
      .execute();
    expect(meganCards).toHaveLength(0);
  });
});
