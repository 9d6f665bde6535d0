import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphMailService } from '../../../bot/src/mail/graph-client.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { SANDBOX_TENANT_ID } from '../../../bot/src/sandbox/graph-seed.js';
import { emulator, SUPPORT_ID, service } from './graph-test-kit.js';
import { type Receiver, startReceiver } from './notification-receiver.js';

describe('Graph emulator notifications', () => {
  let emu: GraphEmulator;
  let mail: GraphMailService;
  let receiver: Receiver;
  let subscriptionId: string;

  beforeEach(async () => {
    emu = await emulator();
    mail = service(emu);
    receiver = await startReceiver();
    const sub = await mail.createSubscription({
      userId: 'support@contoso.com',
      notificationUrl: `${receiver.url}/n`,
      lifecycleNotificationUrl: `${receiver.url}/l`,
      clientState: 'cs',
    });
    subscriptionId = sub.id;
  });
  afterEach(async () => {
    await emu.close();
    await receiver.close();
  });

  it('retries a notification until the receiver answers 2xx, as Graph does', async () => {
    receiver.failNext = 2;
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'While the bot restarts' });
    await emu.idle();
    expect(receiver.failed).toBe(2);
    expect(receiver.received).toHaveLength(1);
    expect(emu.state.notifications).toEqual([expect.objectContaining({ attempts: 3, status: 'delivered' })]);
  });

  it('gives up after its bounded attempts', async () => {
    receiver.failNext = 10;
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Lost' });
    await emu.idle();
    expect(emu.state.notifications).toEqual([expect.objectContaining({ attempts: 3, status: 'failed' })]);
  });

  it('drops notifications while stopped, so only delta finds that mail', async () => {
    emu.stopNotifications();
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Missed' });
    emu.resumeNotifications();
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Seen' });
    await emu.idle();
    expect(receiver.received).toHaveLength(1);
    expect(emu.state.notifications.map((n) => n.status)).toEqual(['dropped', 'delivered']);
    const page = await mail.deltaPage(SUPPORT_ID, 'inbox', { pageSize: 10 });
    expect(page.messages.map((m) => m.subject)).toEqual(['Missed', 'Seen']);
  });

  it('notifies a mailbox that is only on Cc, and the sender’s Sent Items when the sender is watched', async () => {
    emu.deliver({ to: 'ana@fabrikam.com', cc: 'support@contoso.com', from: 'adele@contoso.com', subject: 'Cc' });
    emu.deliver({ to: 'ana@fabrikam.com', from: 'support@contoso.com', subject: 'Outgoing' });
    await emu.idle();
    expect(receiver.received).toHaveLength(2);
    const sent = emu.state.messages.find((m) => m.subject === 'Outgoing');
    expect(emu.state.folders.find((f) => f.id === sent?.folderId)?.displayName).toBe('Sent Items');
  });

  it('sends lifecycle events to the lifecycle URL with the clientState', async () => {
    emu.sendLifecycle(subscriptionId, 'missed');
    emu.removeSubscription(subscriptionId);
    await emu.idle();
    type Lifecycle = { value: Array<{ lifecycleEvent: string; clientState: string }> };
    const items = receiver.received.map((r) => ({ path: r.path, item: (r.body as Lifecycle).value[0] }));
    expect(items.map((i) => [i.path, i.item?.lifecycleEvent, i.item?.clientState])).toEqual([
      ['/l', 'missed', 'cs'],
      ['/l', 'subscriptionRemoved', 'cs'],
    ]);
    expect(emu.state.subscriptions.size).toBe(0);
  });

  it('refuses Graph calls without a valid token, and bad credentials at the token endpoint', async () => {
    const anon = await fetch(`${emu.graphBaseUrl}/users/${SUPPORT_ID}`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    const wrongTenant = await fetch(`${emu.authorityHost}/not-this-tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
    });
    expect(wrongTenant.status).toBe(400);
    expect(((await wrongTenant.json()) as { error: string }).error).toBe('invalid_request');
    expect(SANDBOX_TENANT_ID).toMatch(/^[0-9a-f-]{36}$/);
  });
});
