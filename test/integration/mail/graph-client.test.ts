import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphMailService } from '../../../bot/src/mail/graph-client.js';
import { sortNotifications } from '../../../bot/src/mail/notifications.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { appToken, caught, emulator, SUPPORT_ID, service } from './graph-test-kit.js';
import { type Receiver, startReceiver } from './notification-receiver.js';

describe('Graph mail service against the emulator', () => {
  let emu: GraphEmulator;
  let mail: GraphMailService;
  let receiver: Receiver;

  beforeEach(async () => {
    emu = await emulator();
    mail = service(emu);
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await emu.close();
    await receiver.close();
  });

  const subscribe = () =>
    mail.createSubscription({
      userId: SUPPORT_ID,
      notificationUrl: `${receiver.url}/api/graph/notifications`,
      lifecycleNotificationUrl: `${receiver.url}/api/graph/lifecycle`,
      clientState: 'a-secret-of-this-subscription',
    });

  it('finds a shared mailbox, fetching one token for many calls and sending ImmutableId on every call', async () => {
    const user = await mail.findUser('support@contoso.com');
    expect(user).toMatchObject({ id: SUPPORT_ID, displayName: 'Contoso Support', mail: 'support@contoso.com' });
    expect(await mail.getMailboxPurpose(SUPPORT_ID)).toBe('shared');
    expect(await mail.getMailboxPurpose('megan@contoso.com')).toBe('user');
    await subscribe();
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Order 1042 is late' });
    const folders = await mail.listMailFolders(SUPPORT_ID, []);
    await mail.deltaPage(SUPPORT_ID, folders[0]?.id ?? '', { pageSize: 5 });

    expect(emu.state.tokensIssued).toBe(1);
    expect(emu.state.requests.length).toBeGreaterThan(6);
    for (const r of emu.state.requests) {
      expect(r.headers.prefer, `${r.method} ${r.path}`).toContain('IdType="ImmutableId"');
      expect(r.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(emu.state.requests.some((r) => r.method === 'POST' && r.path === '/v1.0/subscriptions')).toBe(true);
  });

  it('answers null for an unknown address, and a fix-it error when a mailbox call hits 404', async () => {
    expect(await mail.findUser('nobody@contoso.com')).toBeNull();
    const err = await caught(mail.getMailboxPurpose('nobody@contoso.com'));
    expect(err.code).toBe('graph_mailbox_not_found');
    expect(err.remedy).toMatch(/check the address/i);
  });

  it('names the Exchange admin step when the app has no access to the mailbox (403)', async () => {
    emu.faults.denyAccess('sales@contoso.com');
    const err = await caught(mail.getMailboxPurpose('sales@contoso.com'));
    expect(err.code).toBe('graph_access_denied');
    expect(err.remedy).toContain('New-ManagementRoleAssignment');
    expect(err.remedy).toContain('"Application Mail.ReadWrite"');
    expect(err.remedy).toContain('application access policy');
  });

  it('reports wrong app credentials as graph_auth_failed', async () => {
    const err = await caught(service(emu, 'wrong-secret').findUser('support@contoso.com'));
    expect(err.code).toBe('graph_auth_failed');
    expect(err.message).toContain('AADSTS7000215');
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    emu.faults.throttle(1, 429, 1);
    const started = Date.now();
    expect(await mail.getMailboxPurpose(SUPPORT_ID)).toBe('shared');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const statuses = emu.state.requests.map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('gives up after its retries with graph_unavailable and the Retry-After Graph sent', async () => {
    emu.faults.throttle(10, 503, 0);
    const err = await caught(mail.getMailboxPurpose(SUPPORT_ID));
    expect(err.code).toBe('graph_unavailable');
    expect(err.retryAfterSeconds).toBe(0);
    expect(emu.state.requests).toHaveLength(4);
  });

  it('subscribes to every folder after the validation handshake on both URLs, and delivers notifications', async () => {
    const sub = await subscribe();
    expect(sub.resource).toBe(`users/${SUPPORT_ID}/messages`);
    expect(receiver.validations).toEqual(['/api/graph/notifications', '/api/graph/lifecycle']);
    const minutes = (Date.parse(sub.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(10_000);

    const [copy] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Order 1042 is late' });
    const [note] = await receiver.waitFor(1);
    expect(note?.path).toBe('/api/graph/notifications');
    const lookup = (id: string) =>
      id === sub.id
        ? { tenantId: emu.state.tenantId, mailboxId: 'mb1', clientState: 'a-secret-of-this-subscription' }
        : null;
    const { accepted, rejected } = await sortNotifications(note?.body, lookup);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([expect.objectContaining({ mailboxId: 'mb1', userId: SUPPORT_ID, messageId: copy?.id })]);

    const msg = await mail.getMessage(SUPPORT_ID, accepted[0]?.messageId ?? '');
    expect(msg).toMatchObject({
      subject: 'Order 1042 is late',
      from: { name: 'ana', address: 'ana@fabrikam.com' },
      to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
      internetMessageId: copy?.internetMessageId,
      isDraft: false,
    });
    expect(msg?.webLink).toMatch(/^https:\/\/outlook\.office365\.com\/owa\/\?ItemID=/);
    expect(msg?.body).toBeUndefined();
    expect((await mail.getMessage(SUPPORT_ID, copy?.id ?? '', { withBody: true }))?.body?.content).toContain('Order');
  });

  it('refuses to subscribe when the endpoint fails the validation handshake', async () => {
    receiver.mode = 'refuse';
    const err = await caught(subscribe());
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/validation/i);
    expect(emu.state.subscriptions.size).toBe(0);
  });

  it('renews and reauthorizes, and says "create it again" once Graph has lost the subscription', async () => {
    const sub = await subscribe();
    const renewed = await mail.renewSubscription(sub.id);
    expect(renewed.id).toBe(sub.id);
    await mail.reauthorizeSubscription(sub.id);
    await mail.deleteSubscription(sub.id);
    await mail.deleteSubscription(sub.id);
    expect((await caught(mail.renewSubscription(sub.id))).code).toBe('graph_subscription_not_found');
    expect((await caught(mail.reauthorizeSubscription(sub.id))).code).toBe('graph_subscription_not_found');
  });

  it('keeps a message reachable by its immutable id after a move, where the default id breaks', async () => {
    const [copy] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Invoice' });
    const id = copy?.id ?? '';
    const token = await appToken(emu);
    const plainBefore = await plainGet(emu, token, `/users/${SUPPORT_ID}/messages/${id}`);
    const restId = String(plainBefore.id);
    expect(restId).not.toBe(id);

    await fetch(`${emu.url}/_sandbox/messages/${id}/move`, {
      method: 'POST',
      body: JSON.stringify({ folder: 'Orders' }),
    });
    const folders = await mail.listMailFolders(SUPPORT_ID, []);
    const orders = folders.find((f) => f.path === 'Orders');
    const moved = await mail.getMessage(SUPPORT_ID, id);
    expect(moved?.graphMessageId).toBe(id);
    expect(moved?.parentFolderId).toBe(orders?.id);
    const plainAfter = await fetch(`${emu.graphBaseUrl}/users/${SUPPORT_ID}/messages/${restId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(plainAfter.status).toBe(404);
  });
});

/** A call without Prefer: IdType, as a client that forgot it would make. */
async function plainGet(emu: GraphEmulator, token: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.graphBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Record<string, unknown>;
}
