import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicense, issueForgedLicenseKey } from '../../../bot/src/sandbox/license-keys.js';
import { Verb } from '../../../bot/src/teams/actions.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { channelCards, click, emailId, netsuiteMessages, PEOPLE, say } from './kit.js';

describe('an expired license key pauses autopilot; rules stay and one-time saves still work', () => {
  let h: Harness;
  beforeAll(async () => {
    const expired = await issueDemoLicense(FIXTURE_IDS.tenantId, { validDays: -1 });
    h = await startHarness({ env: { LICENSE_KEY: expired.key, LICENSE_PUBLIC_KEY: expired.publicKeyPem } });
    await h.watch('sales@contoso.com');
  });
  afterAll(async () => h?.close());

  it('refuses to turn a rule on, and a rule kept from before does not save but says why on the card', async () => {
    expect(await say(h, '/autopilot on sales@')).toContain('license expired');
    const sales = await h.mailroom.repos.mailboxes.byAddress(FIXTURE_IDS.tenantId, 'sales@contoso.com');
    if (!sales) throw new Error('sales@ is not watched');
    // A rule turned on while the key was still valid.
    await h.mailroom.repos.rules.create({
      tenantId: FIXTURE_IDS.tenantId,
      mailboxId: sales.id,
      kind: 'mailbox',
      matchValue: '',
      targets: [],
      owner: { id: PEOPLE.alex.aadObjectId, name: PEOPLE.alex.name },
    });
    h.sandbox.graph.deliver({ to: ['sales@contoso.com'], from: 'ana@fabrikam.com', subject: 'Paused quote' });
    await h.settle();
    expect(netsuiteMessages(h, 'Paused quote')).toHaveLength(0);
    expect(channelCards(h).some((c) => c.includes('Paused quote') && c.includes('Autopilot is paused'))).toBe(true);

    const id = await emailId(h, 'Paused quote', 'sales@contoso.com');
    const saved = await click(h, Verb.save, { emailId: id, records: 'contact:201' });
    expect(saved.kind).toBe('card');
    await h.settle();
    expect(netsuiteMessages(h, 'Paused quote')).toHaveLength(1);
  });

  it('reports a forged key as not valid in /license status', async () => {
    // The forged key is checked against the configured public key, so it cannot be installed.
    const forged = await issueForgedLicenseKey({ tenantId: FIXTURE_IDS.tenantId });
    await expect(
      h.mailroom.services.licenses.installKey(FIXTURE_IDS.tenantId, forged, { id: 'x', name: 'X' }),
    ).rejects.toThrow('not signed by the key in LICENSE_PUBLIC_KEY');
    expect(await say(h, '/license status')).toContain('Expired');
  });
});
