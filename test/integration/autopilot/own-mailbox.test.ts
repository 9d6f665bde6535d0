import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngines } from '../../helpers/db.js';
import { dbSnapshot } from '../../helpers/db-snapshot.js';
import { activity, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { cardOf, PEOPLE, type Person, say } from './kit.js';

const MEGAN = 'megan@contoso.com';
const OTHER_TENANT = '0bad7e4a-1111-4222-8333-444455556666';
const PERSONAL_CHAT = (activity('personalMessage').conversation as { id: string }).id;

/** What a person reads in Teams on a card: its text blocks, in order. */
function words(card: unknown): string {
  return ((card as { body?: Array<{ text?: string }> } | undefined)?.body ?? []).map((b) => b.text ?? '').join(' | ');
}

/**
 * `/autopilot on me` driven as Teams drives it: the activity POSTed to /api/messages, the answer read from the reply
 * Mailroom posted to the (fake) Bot Connector in the person's chat with the bot, which is what they see in Teams.
 */
describe.each(testEngines())('/autopilot on me over HTTP on %s', (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ engine, netsuite: false });
    expect(await say(h, `/license assign ${MEGAN}`, PEOPLE.adele)).toContain('now has a Mailroom license');
  });
  afterEach(async () => h?.close());

  /** Sends `command` in `who`'s chat with the bot; resolves with what Mailroom answered there (its card's words). */
  async function privately(command: string, who: Person | Record<string, unknown>): Promise<string> {
    const before = h.connector.posts.length;
    const res = await h.send(activity('personalMessage', { text: command, from: who }));
    expect(res.status).toBe(200);
    const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply' && p.conversationId === PERSONAL_CHAT);
    return words(cardOf(reply));
  }
  const k = () => h.mailroom.db.kysely;
  const meganMailbox = () => h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, MEGAN);
  const graphSubscriptions = () =>
    [...h.sandbox.graph.state.subscriptions.values()].filter((s) => s.resource.includes(PEOPLE.megan.aadObjectId));
  const rules = () =>
    k().selectFrom('autopilot_rules').select(['owner_name', 'active']).orderBy('created_at').execute();
  const graphCalls = () => h.sandbox.graph.state.requests.map((r) => `${r.method} ${r.path}`);

  it('a channel /watch a moment before: the cards stay in that channel, and the answer says how to turn it off', async () => {
    expect(await say(h, `/watch ${MEGAN}`, PEOPLE.adele)).toContain(`Now watching ${MEGAN}`);
    const reply = await privately('/autopilot on me', PEOPLE.megan);
    expect(reply).toContain(`Autopilot is on for ${MEGAN}.`);
    expect(reply).toContain("Your mailbox's cards go to Support; its saves show on the Dashboard.");
    expect(reply).not.toContain('no channel cards');
    expect(reply).toMatch(/What to do: Turn it off with \/autopilot off me\.$/);
    expect(await meganMailbox()).toMatchObject({ channelName: 'Support', watchedBy: 'Adele Vance', active: true });
    expect(graphSubscriptions()).toHaveLength(1);
    // What it says to do works.
    expect(await privately('/autopilot off me', PEOPLE.megan)).toContain(`Autopilot for ${MEGAN} is off.`);
    expect(await rules()).toEqual([{ owner_name: 'Megan Bowen', active: 0 }]);
  });

  it('a channel /watch commits while the command is on its way: that watch stands, and the answer says so', async () => {
    // Megan's subscription request waits at Graph while Adele watches the mailbox in Support.
    const held = h.sandbox.graph.faults.hold('POST', /\/subscriptions$/);
    const own = privately('/autopilot on me', PEOPLE.megan);
    await held.reached;
    expect(await say(h, `/watch ${MEGAN}`, PEOPLE.adele)).toContain(`Now watching ${MEGAN}`);
    const [adeles] = graphSubscriptions();
    held.release();
    const reply = await own;

    expect(reply).toContain(`Autopilot is on for ${MEGAN}.`);
    expect(reply).toContain(
      'Adele Vance watched your mailbox in Support while your command was on its way, so that stays: its cards go to Support, and its saves show on the Dashboard.',
    );
    expect(reply).toMatch(/What to do: Turn it off with \/autopilot off me\.$/);
    // Adele's watch is what stands: her channel, her subscription; Megan's own subscription was deleted at Graph.
    expect(await meganMailbox()).toMatchObject({ channelName: 'Support', watchedBy: 'Adele Vance', active: true });
    expect(graphSubscriptions().map((s) => s.id)).toEqual([adeles?.id]);
    expect(graphCalls().filter((c) => c.startsWith('DELETE'))).toHaveLength(1);
    const subs = await k().selectFrom('subscriptions').select(['id', 'status']).execute();
    expect(subs).toEqual([{ id: adeles?.id, status: 'active' }]);
    const watches = await k().selectFrom('audit_log').select('actor_name').where('action', '=', 'watch').execute();
    expect(watches).toEqual([{ actor_name: 'Adele Vance' }]);
    expect(await privately('/autopilot off me', PEOPLE.megan)).toContain(`Autopilot for ${MEGAN} is off.`);
  });

  it('refuses a person of another tenant before any handler: nothing answered, stored or asked of Graph', async () => {
    const before = await dbSnapshot(k());
    const calls = graphCalls().length;
    const posts = h.connector.requests.length;
    const res = await h.send(
      activity('personalMessage', {
        text: '/autopilot on me',
        from: PEOPLE.megan,
        conversation: { tenantId: OTHER_TENANT },
        channelData: { tenant: { id: OTHER_TENANT } },
      }),
    );
    expect(res).toEqual({ status: 403, body: { error: { code: 'wrong_tenant', message: expect.any(String) } } });
    await h.settle();
    expect(await dbSnapshot(k())).toEqual(before);
    expect(graphCalls()).toHaveLength(calls);
    expect(h.connector.requests).toHaveLength(posts);
  });

  it("refuses a person asking for someone else's mailbox, by address or as their own, and changes nothing", async () => {
    // Alex's Teams account naming Megan's address as his (a userPrincipalName not his), and Alex naming her mailbox.
    const alexAsMegan = { ...PEOPLE.alex, userPrincipalName: MEGAN };
    const notHis = /megan@contoso\.com is not your own mailbox\./;
    const personal =
      /megan@contoso\.com is a person’s own mailbox: only its owner or a Mailroom admin .* can turn autopilot on for it\..*What to do: Ask megan@contoso\.com to type \/autopilot on me/;
    async function refused(name: string, attempt: () => Promise<string>, refusal: RegExp) {
      const before = await dbSnapshot(k());
      const calls = graphCalls().length;
      expect(await attempt(), name).toMatch(refusal);
      await h.settle();
      expect(await dbSnapshot(k()), name).toEqual(before);
      // Graph is asked who the mailbox is at most, and nothing is subscribed or changed there.
      expect(
        graphCalls()
          .slice(calls)
          .filter((c) => !c.startsWith('GET')),
        name,
      ).toEqual([]);
    }

    await refused('as his own, not watched', () => privately('/autopilot on me', alexAsMegan), notHis);
    await refused('by address, not watched', () => privately(`/autopilot on ${MEGAN}`, PEOPLE.alex), /is not watched/);
    // Megan watches her own mailbox for autopilot, then turns autopilot off.
    expect(await privately('/autopilot on me', PEOPLE.megan)).toContain('Your mailbox gets no channel cards');
    expect(await privately('/autopilot off me', PEOPLE.megan)).toContain('is off');
    await refused('as his own, watched', () => privately('/autopilot on me', alexAsMegan), notHis);
    await refused('by address in chat', () => privately(`/autopilot on ${MEGAN}`, PEOPLE.alex), personal);
    const inChannel = async () => words(JSON.parse(await say(h, `/autopilot on ${MEGAN}`, PEOPLE.alex)));
    await refused('by address in a channel', inChannel, personal);
    expect(await rules()).toEqual([{ owner_name: 'Megan Bowen', active: 0 }]);
    // A listed admin still may.
    expect(await privately(`/autopilot on ${MEGAN}`, PEOPLE.adele)).toContain(`Autopilot is on for ${MEGAN}.`);
  });
});
