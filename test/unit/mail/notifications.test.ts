import { describe, expect, it } from 'vitest';
import {
  type KnownSubscription,
  MAX_NOTIFICATIONS_PER_REQUEST,
  parseMessageResource,
  sortLifecycleNotifications,
  sortNotifications,
  summarizeDrops,
} from '../../../bot/src/mail/notifications.js';
import { graphFixture } from './fixtures.js';

const SUPPORT_SUB = '9d4f1c62-6a3b-4c2e-9b71-2f7d8a1e5c40';
const SALES_SUB = '3e8a2b17-5c4d-4f6e-8a9b-1c2d3e4f5a6b';
/** The tenant the fixtures' notifications come from, where both subscriptions were made. */
const TENANT = '7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
const known: Record<string, KnownSubscription> = {
  [SUPPORT_SUB]: { tenantId: TENANT, mailboxId: 'mb-support', clientState: 'kJ3p0Qm2uVb7Yx1Zc9Rt4Ws6Lf8Hd5Ng' },
  [SALES_SUB]: { tenantId: TENANT, mailboxId: 'mb-sales', clientState: 'Pq7Rs2Tu5Vw8Xy1Za4Bc6De9Fg3Hi0Jk' },
};
const lookup = (id: string) => known[id] ?? null;

type Body = { value: Array<Record<string, unknown>> };

describe('sortNotifications', () => {
  it('accepts both items of a batch, with the mailbox and the message id each names', async () => {
    const { accepted, rejected } = await sortNotifications(graphFixture('change-notification.json'), lookup);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([
      {
        subscriptionId: SUPPORT_SUB,
        tenantId: TENANT,
        mailboxId: 'mb-support',
        userId: '5b1c2a3d-1111-4a1a-9a1a-00000000c001',
        messageId: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AZa4xQ2pRRUK2mP8sNK2zJAAAAfWk2AAA=',
        resource: expect.stringMatching(/^Users\//),
      },
      expect.objectContaining({
        mailboxId: 'mb-sales',
        // Graph's own example writes the user as {user}@{tenant}: the tenant part is not the user id.
        userId: '5b1c2a3d-2222-4a2a-9a2a-00000000c002',
      }),
    ]);
  });

  it('drops an item whose clientState is wrong, and keeps the good one beside it', async () => {
    const body = graphFixture<Body>('change-notification.json');
    if (body.value[1]) body.value[1].clientState = 'Pq7Rs2Tu5Vw8Xy1Za4Bc6De9Fg3Hi0Jx';
    const { accepted, rejected } = await sortNotifications(body, lookup);
    expect(accepted.map((a) => a.mailboxId)).toEqual(['mb-support']);
    expect(rejected).toEqual([{ subscriptionId: SALES_SUB, reason: 'client_state_mismatch' }]);
  });

  it('drops an item with no clientState at all', async () => {
    const body = graphFixture<Body>('change-notification.json');
    if (body.value[0]) delete body.value[0].clientState;
    const { rejected } = await sortNotifications(body, lookup);
    expect(rejected).toEqual([{ subscriptionId: SUPPORT_SUB, reason: 'client_state_mismatch' }]);
  });

  it('drops an item naming our subscription and secret from another tenant, in any letter case of ours', async () => {
    const body = graphFixture<Body>('change-notification.json');
    if (body.value[0]) body.value[0].tenantId = '0bad7e4a-1111-4222-8333-444455556666';
    if (body.value[1]) body.value[1].tenantId = TENANT.toUpperCase();
    const { accepted, rejected } = await sortNotifications(body, lookup);
    expect(accepted.map((a) => a.mailboxId)).toEqual(['mb-sales']);
    expect(rejected).toEqual([{ subscriptionId: SUPPORT_SUB, reason: 'tenant_mismatch' }]);
  });

  it('drops a subscription Mailroom does not know', async () => {
    const { accepted, rejected } = await sortNotifications(graphFixture('change-notification.json'), (id) =>
      id === SUPPORT_SUB ? lookup(id) : undefined,
    );
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([{ subscriptionId: SALES_SUB, reason: 'unknown_subscription' }]);
  });

  it('looks each distinct subscription id up once per request, and stops at the per-request cap', async () => {
    const asked: string[] = [];
    const counting = (id: string) => {
      asked.push(id);
      return known[id] ?? null;
    };
    const good = (graphFixture('change-notification.json') as Body).value[0] as Record<string, unknown>;
    const forged = (i: number) => ({ ...good, subscriptionId: `forged-${i % 3}` });
    const value = [good, ...Array.from({ length: MAX_NOTIFICATIONS_PER_REQUEST + 500 }, (_, i) => forged(i))];
    const { accepted, rejected, overLimit } = await sortNotifications({ value }, counting);
    expect(accepted).toHaveLength(1);
    expect(rejected).toHaveLength(MAX_NOTIFICATIONS_PER_REQUEST - 1);
    expect(overLimit).toBe(501);
    expect(asked.sort()).toEqual([SUPPORT_SUB, 'forged-0', 'forged-1', 'forged-2'].sort());
    expect(summarizeDrops(rejected, overLimit)).toEqual({
      dropped: MAX_NOTIFICATIONS_PER_REQUEST + 500,
      reasons: { unknown_subscription: MAX_NOTIFICATIONS_PER_REQUEST - 1, over_limit: 501 },
      subscriptionIds: ['forged-0', 'forged-1', 'forged-2'],
    });
  });

  it('calls malformed bodies and items malformed, without throwing', async () => {
    for (const body of [null, 'text', {}, { value: [] }, { value: 'x' }]) {
      expect(await sortNotifications(body, lookup)).toEqual({
        accepted: [],
        rejected: [{ subscriptionId: '', reason: 'malformed' }],
        overLimit: 0,
      });
    }
    const body = graphFixture<Body>('change-notification.json');
    if (body.value[0]) body.value[0].resource = 'Users/only-a-user';
    body.value.push({ nothing: true });
    const { accepted, rejected } = await sortNotifications(body, lookup);
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([
      { subscriptionId: SUPPORT_SUB, reason: 'malformed' },
      { subscriptionId: '', reason: 'malformed' },
    ]);
  });

  it('drops an item whose message id is a dot segment, which would name another path at Graph', async () => {
    for (const [resource, id] of [
      ['Users/u1/Messages/..', undefined],
      ['Users/u1/Messages/%2e%2e', undefined],
      ['Users/u1/Messages/.', undefined],
      ['Users/u1/Messages/m1', '..'],
    ] as const) {
      const body = graphFixture<Body>('change-notification.json');
      const item = body.value[0] as { resource: string; resourceData?: { id: string } };
      item.resource = resource;
      // Without resourceData the id is the resource path's last segment.
      if (id === undefined) delete item.resourceData;
      else if (item.resourceData) item.resourceData.id = id;
      const { accepted, rejected } = await sortNotifications(body, lookup);
      expect(accepted.map((a) => a.mailboxId)).toEqual(['mb-sales']);
      expect(rejected).toEqual([{ subscriptionId: SUPPORT_SUB, reason: 'malformed' }]);
    }
  });

  it('parses resource paths in either case, with encoded ids', () => {
    expect(parseMessageResource('Users/u1/Messages/AAk%3D')).toEqual({ userId: 'u1', messageId: 'AAk=' });
    expect(parseMessageResource('/users/u1/messages/m1')).toEqual({ userId: 'u1', messageId: 'm1' });
    expect(parseMessageResource('Users/u1/Events/e1')).toBeNull();
  });
});

describe('sortLifecycleNotifications', () => {
  it('accepts reauthorizationRequired and missed events with a good clientState', async () => {
    const { accepted, rejected } = await sortLifecycleNotifications(
      graphFixture('lifecycle-notification.json'),
      lookup,
    );
    expect(rejected).toEqual([]);
    expect(accepted.map((a) => [a.mailboxId, a.lifecycleEvent])).toEqual([
      ['mb-support', 'reauthorizationRequired'],
      ['mb-support', 'missed'],
    ]);
  });

  it('drops a lifecycle event with the wrong clientState or an unknown event', async () => {
    const body = graphFixture<Body>('lifecycle-notification.json');
    if (body.value[0]) body.value[0].clientState = 'forged';
    if (body.value[1]) body.value[1].lifecycleEvent = 'somethingNew';
    const { accepted, rejected } = await sortLifecycleNotifications(body, lookup);
    expect(accepted).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual(['client_state_mismatch', 'malformed']);
  });
});
