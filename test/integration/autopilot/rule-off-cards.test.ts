import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { testEngines } from '../../helpers/db.js';
import { FIXTURE_IDS, type Harness } from '../../helpers/harness.js';
import { click, emailId, PEOPLE, type Person, say, startLicensedHarness } from './kit.js';

const ON = 'Autopilot is on for this sender';

// Alex turns autopilot on for a sender from a card; Isaiah alone is in MAILROOM_ADMINS, and Megan is a plain member
// of the fixture team (Adele owns it), so Megan may not turn Alex's rule off.
describe.each(testEngines())(
  'turning a rule on from a card or off in the Dashboard refreshes its cards on %s',
  (engine) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startLicensedHarness(engine, sandboxPerson('isaiah').oid);
      await h.watch('support@contoso.com');
      await say(h, '/license assign support@', PEOPLE.adele);
    });
    afterAll(async () => h?.close());

    const asUser = (p: Person) => ({ oid: p.aadObjectId, name: p.name, upn: `${p.name.split(' ')[0]}@contoso.com` });
    const turnOff = async (ruleId: string, token: string) =>
      (
        await fetch(`${h.url}/api/tab/rules/${ruleId}/off`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    /** The latest card of an email, as JSON text, and how many times it was updated. */
    const cardOf = async (id: string) => {
      const row = await h.mailroom.db.kysely
        .selectFrom('cards')
        .select('activity_id')
        .where('email_id', '=', id)
        .executeTakeFirstOrThrow();
      const updates = h.connector.posts.filter((p) => p.op === 'update' && p.activityId === row.activity_id).length;
      return { text: JSON.stringify(h.connector.cards().get(row.activity_id) ?? null), updates };
    };

    it('updates the sender’s card so it no longer says autopilot is on; a member or another tenant changes nothing', async () => {
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Hinge again' });
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'bo@northwind.com', subject: 'Other sender' });
      await h.settle();
      const ana = await emailId(h, 'Hinge again');
      const other = await emailId(h, 'Other sender');
      const data = { emailId: ana, records: 'contact:201', autopilotKind: 'sender' };
      expect((await click(h, Verb.autopilot, data, PEOPLE.alex)).kind).toBe('card');
      await h.settle();
      expect((await cardOf(ana)).text).toContain(ON);
      const rule = await h.mailroom.repos.rules.findActive(
        FIXTURE_IDS.tenantId,
        (await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'support@contoso.com'))?.id ?? '',
        'address',
        'ana@fabrikam.com',
      );
      expect(rule).not.toBeNull();
      const ruleId = rule?.id ?? '';
      const before = { ana: await cardOf(ana), other: await cardOf(other) };

      // Hostile: a plain member, and an admin's token of another tenant, are refused with nothing changed.
      expect(await turnOff(ruleId, await h.tabToken(asUser(PEOPLE.megan)))).toBe(403);
      const elsewhere = await h.tabTokenOf('99999999-0000-4000-8000-000000000009', asUser(PEOPLE.adele));
      expect([401, 403, 404]).toContain(await turnOff(ruleId, elsewhere));
      await h.settle();
      expect((await h.mailroom.repos.rules.get(FIXTURE_IDS.tenantId, ruleId))?.active).toBe(true);
      expect(await cardOf(ana)).toEqual(before.ana);

      // The owner turns it off in the Dashboard: the sender's card is updated and says so no more.
      expect(await turnOff(ruleId, await h.tabToken(asUser(PEOPLE.alex)))).toBe(200);
      await h.settle();
      expect((await h.mailroom.repos.rules.get(FIXTURE_IDS.tenantId, ruleId))?.active).toBe(false);
      const after = await cardOf(ana);
      expect(after.updates).toBeGreaterThan(before.ana.updates);
      expect(after.text).toContain('Hinge again');
      expect(after.text).not.toContain('Autopilot is on');
      // Another sender's card never showed the rule, so it is left alone.
      expect((await cardOf(other)).updates).toBe(before.other.updates);
    });

    it('turning a sender rule on from one card updates that sender’s other cards, and saves only the clicked email', async () => {
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'cy@fabrikam.com', subject: 'Cy first' });
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'cy@fabrikam.com', subject: 'Cy second' });
      h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'dee@northwind.com', subject: 'Dee elsewhere' });
      await h.settle();
      const first = await emailId(h, 'Cy first');
      const second = await emailId(h, 'Cy second');
      const dee = await emailId(h, 'Dee elsewhere');
      const before = { first: await cardOf(first), dee: await cardOf(dee) };
      expect(before.first.text).not.toContain(ON);

      const data = { emailId: second, records: 'contact:201', autopilotKind: 'sender' };
      expect((await click(h, Verb.autopilot, data, PEOPLE.alex)).kind).toBe('card');
      await h.settle();
      const after = await cardOf(first);
      expect(after.updates).toBeGreaterThan(before.first.updates);
      expect(after.text).toContain(ON);
      expect((await cardOf(second)).text).toContain(ON);
      expect(await cardOf(dee)).toEqual(before.dee);
      const saved = await h.mailroom.db.kysely.selectFrom('associations').select('email_id').execute();
      expect(saved.map((r) => r.email_id)).toContain(second);
      expect(saved.map((r) => r.email_id)).not.toContain(first);
    });
  },
);
