import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/src/log.js';
import { updateEmailCard } from '../../../bot/src/teams/card-jobs.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { emailId } from '../autopilot/kit.js';

describe('a card update that races a change to its email', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Race me' });
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('follows a stale update with the newer card, so the card that stays is current', async () => {
    const id = await emailId(h, 'Race me');
    const posted: string[] = [];
    const real = h.mailroom.cardDeps.poster;
    let first = true;
    const poster = Object.create(real) as typeof real;
    poster.updateCard = async (input) => {
      if (first) {
        first = false;
        // While the first update is on its way to Teams, someone saves the email (the job that will refresh the
        // card for that may already have run and landed before this one).
        await h.mailroom.repos.associations.insertIfNew({
          tenantId: FIXTURE_IDS.tenantId,
          emailId: id,
          internetMessageId: (await h.mailroom.repos.emails.byId(FIXTURE_IDS.tenantId, id))?.internetMessageId ?? '',
          record: { type: 'customer', id: '4242', name: 'Racing Fabrikam' },
          savedBy: { id: 'aad-ana', name: 'Ana' },
          mode: 'one-time',
          ruleId: null,
          externalId: 'race-1',
          now: new Date().toISOString(),
        });
      }
      posted.push(JSON.stringify(input.card));
      return real.updateCard(input);
    };
    await updateEmailCard({ ...h.mailroom.cardDeps, poster }, FIXTURE_IDS.tenantId, id, createLogger('silent'));
    expect(posted).toHaveLength(2);
    expect(posted[0]).not.toContain('Racing Fabrikam');
    expect(posted[1]).toContain('Racing Fabrikam');
  });
});
