import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicense } from '../../../bot/src/sandbox/license-keys.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { click, emailId, PEOPLE, say } from '../autopilot/kit.js';

/**
 * Issue 15.1: each sandbox person is one identity in Teams (the Playground's MRI and object id), in the Graph
 * emulator (their user and mailbox) and in the Dashboard's sign-in (the local issuer's `oid`). Isaiah alone is in
 * MAILROOM_ADMINS (he watches support@): Adele is an admin only because she owns the team; Alex and Megan are members.
 */
describe('one sandbox identity per person: what Adele, Alex and Megan can do is the same in chat, cards and the Dashboard', () => {
  let h: Harness;
  const tokens = new Map<string, string>();
  /** The Dashboard as the sandbox signs a person in (`?user=alex`), through the dev-token route. */
  const tab = async (user: string, method: string, path: string) => {
    let token = tokens.get(user);
    if (!token) {
      const res = await fetch(`${h.url}/api/tab/dev-token?user=${user}`);
      token = ((await res.json()) as { token: string }).token;
      tokens.set(user, token);
    }
    const res = await fetch(`${h.url}/api/tab/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const license = await issueDemoLicense(FIXTURE_IDS.tenantId, { seats: 5 });
    h = await startHarness({
      env: {
        LICENSE_KEY: license.key,
        LICENSE_PUBLIC_KEY: license.publicKeyPem,
        MAILROOM_ADMINS: sandboxPerson('isaiah').oid,
      },
    });
    await h.watch('support@contoso.com');
    expect(await say(h, '/license assign support@', PEOPLE.adele)).toContain('now has a Mailroom license');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Order 1042 is late' });
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'li@northwind.example', subject: 'Invoice 7' });
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('the Dashboard knows the team owner as an admin, and a member as not', async () => {
    expect((await tab('adele', 'GET', 'me')).body).toMatchObject({
      identity: { oid: PEOPLE.adele.aadObjectId },
      isAdmin: true,
    });
    expect((await tab('alex', 'GET', 'me')).body).toMatchObject({
      identity: { oid: PEOPLE.alex.aadObjectId },
      isAdmin: false,
    });
  });

  it('a sender rule Alex turns on from a card, Alex can turn off in the Dashboard, and Megan cannot', async () => {
    const id = await emailId(h, 'Order 1042 is late');
    const card = await click(
      h,
      'autopilot',
      { emailId: id, records: 'contact:201', autopilotKind: 'sender' },
      PEOPLE.alex,
    );
    expect(card.kind).toBe('card');
    await h.settle();
    const rules = (await tab('alex', 'GET', 'rules')).body.items as Array<{
      id: string;
      owner: { id: string };
      canTurnOff: boolean;
    }>;
    const mine = rules.find((r) => r.owner.id === PEOPLE.alex.aadObjectId);
    expect(mine?.canTurnOff).toBe(true);
    const seenByMegan = (await tab('megan', 'GET', 'rules')).body.items as Array<{ id: string; canTurnOff: boolean }>;
    expect(seenByMegan.find((r) => r.id === mine?.id)?.canTurnOff).toBe(false);
    expect((await tab('megan', 'POST', `rules/${mine?.id}/off`)).status).toBe(403);
    expect(await h.mailroom.repos.rules.get(FIXTURE_IDS.tenantId, mine?.id ?? '')).toMatchObject({ active: true });
    expect((await tab('alex', 'POST', `rules/${mine?.id}/off`)).status).toBe(200);
    expect(await h.mailroom.repos.rules.get(FIXTURE_IDS.tenantId, mine?.id ?? '')).toMatchObject({ active: false });
  });

  it('the Claims view offers Release for one’s own claims, and the release works', async () => {
    const id = await emailId(h, 'Invoice 7');
    expect((await click(h, Verb.claim, { emailId: id }, PEOPLE.alex)).kind).toBe('card');
    type People = Array<{ user: { id: string }; claims: Array<{ emailId: string; canRelease: boolean }> }>;
    const asAlex = (await tab('alex', 'GET', 'claims')).body.people as People;
    const alexClaims = asAlex.find((p) => p.user.id === PEOPLE.alex.aadObjectId)?.claims ?? [];
    expect(alexClaims.map((c) => [c.emailId, c.canRelease])).toEqual([[id, true]]);
    const asMegan = (await tab('megan', 'GET', 'claims')).body.people as People;
    expect(asMegan.flatMap((p) => p.claims).find((c) => c.emailId === id)?.canRelease).toBe(false);
    expect((await tab('megan', 'POST', `claims/${id}/release`)).status).toBe(403);
    expect((await tab('alex', 'POST', `claims/${id}/release`)).status).toBe(200);
    expect(await h.mailroom.db.kysely.selectFrom('claims').selectAll().where('email_id', '=', id).execute()).toEqual(
      [],
    );
  });

  it('/license assign of an address that is no mailbox says so to an admin, and takes no seat', async () => {
    const before = await h.mailroom.repos.licenses.listSeats(FIXTURE_IDS.tenantId);
    const answer = await say(h, '/license assign nosuch@contoso.com', PEOPLE.adele);
    expect(answer).toContain('There is no mailbox nosuch@contoso.com in this tenant.');
    expect(answer).not.toContain('Only a Mailroom admin');
    expect(await h.mailroom.repos.licenses.listSeats(FIXTURE_IDS.tenantId)).toEqual(before);
  });

  it('/autopilot on me and /autopilot status me find the caller’s own mailbox', async () => {
    expect(await say(h, '/autopilot on me', PEOPLE.alex)).toContain('alex@contoso.com has no Mailroom license');
    expect(await say(h, '/license assign alex@contoso.com', PEOPLE.adele)).toContain('now has a Mailroom license');
    const on = await say(h, '/autopilot on me', PEOPLE.alex);
    expect(on).toContain('Autopilot is on');
    expect(on).not.toContain('could not find your mailbox');
    const status = await say(h, '/autopilot status me', PEOPLE.alex);
    expect(status).toContain('alex@contoso.com');
    expect(status).not.toContain('could not find your mailbox');
    const mailbox = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'alex@contoso.com');
    expect(mailbox?.graphUserId).toBe(PEOPLE.alex.aadObjectId);
  });
});
