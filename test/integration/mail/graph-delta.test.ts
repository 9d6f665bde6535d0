import { afterEach, describe, expect, it } from 'vitest';
import type { GraphMailService } from '../../../bot/src/mail/graph-client.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { caught, emulator, SUPPORT_ID, service } from './graph-test-kit.js';
import { type Receiver, startReceiver } from './notification-receiver.js';

const SALES = 'sales@contoso.com';

describe('delta catch-up, lifetimes and categories against the emulator', () => {
  let emu: GraphEmulator;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await emu.close();
    await receiver?.close();
  });

  /** Follows nextLinks to the end of a round, as catch-up does. */
  async function round(mail: GraphMailService, folderId: string, deltaLink?: string) {
    const subjects: string[] = [];
    let pages = 0;
    let page = await mail.deltaPage(SUPPORT_ID, folderId, { pageSize: 2, ...(deltaLink ? { deltaLink } : {}) });
    for (;;) {
      pages++;
      subjects.push(...page.messages.map((m) => m.subject));
      if (!page.nextLink) break;
      page = await mail.deltaPage(SUPPORT_ID, folderId, { pageSize: 2, nextLink: page.nextLink });
    }
    return { subjects, pages, deltaLink: page.deltaLink };
  }

  it('lists every folder but Deleted Items, Junk Email and Drafts, and pages each folder until a deltaLink', async () => {
    emu = await emulator();
    const mail = service(emu);
    for (const n of [1, 2, 3])
      emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: `Inbox ${n}` });
    emu.deliver({ to: 'support@contoso.com', from: 'bo@fabrikam.com', subject: 'Filed', folder: 'Orders' });

    const folders = await mail.listMailFolders(SUPPORT_ID, []);
    expect(folders.map((f) => [f.path, f.wellKnownName])).toEqual([
      ['Archive', null],
      ['Inbox', 'inbox'],
      ['Inbox/Escalations', null],
      ['Orders', null],
      ['Outbox', null],
      ['Sent Items', 'sentitems'],
    ]);
    const inbox = folders.find((f) => f.wellKnownName === 'inbox');
    const orders = folders.find((f) => f.path === 'Orders');
    const first = await round(mail, inbox?.id ?? '');
    expect(first.subjects).toEqual(['Inbox 1', 'Inbox 2', 'Inbox 3']);
    expect(first.pages).toBe(2);
    expect((await round(mail, orders?.id ?? '')).subjects).toEqual(['Filed']);

    const deltaCalls = emu.state.requests.filter((r) => r.path.endsWith('/messages/delta'));
    for (const r of deltaCalls) {
      expect(r.headers.prefer).toContain('IdType="ImmutableId"');
      expect(r.headers.prefer).toContain('odata.maxpagesize=2');
    }

    // Only what arrived since: the stored deltaLink resumes the folder.
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Inbox 4' });
    const next = await round(mail, inbox?.id ?? '', first.deltaLink);
    expect(next.subjects).toEqual(['Inbox 4']);
  });

  it('finds nested folders through childFolders where folder delta lists only the top level', async () => {
    emu = await emulator();
    const mail = service(emu);
    const full = await mail.listMailFolders(SUPPORT_ID, ['archive']);
    emu.faults.shallowFolderDelta(true);
    const shallow = await service(emu).listMailFolders(SUPPORT_ID, ['archive']);
    expect(shallow.map((f) => f.path)).toEqual(full.map((f) => f.path));
    expect(shallow.map((f) => f.path)).toContain('Inbox/Escalations');
    expect(shallow.map((f) => f.path)).not.toContain('Archive');
    expect(emu.state.requests.some((r) => r.path.endsWith('/childFolders'))).toBe(true);
  });

  it('throws graph_delta_reset when Graph forgot the sync state (410), and a fresh round works', async () => {
    emu = await emulator();
    const mail = service(emu);
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Before reset' });
    const first = await round(mail, 'inbox');
    emu.faults.resetDelta();
    const err = await caught(mail.deltaPage(SUPPORT_ID, 'inbox', { pageSize: 2, deltaLink: first.deltaLink ?? '' }));
    expect(err.code).toBe('graph_delta_reset');
    expect(err.status).toBe(410);
    expect((await round(mail, 'inbox')).subjects).toEqual(['Before reset']);
  });

  it('falls back to the shorter lifetime when Graph refuses the long one with 400', async () => {
    emu = await emulator({ maxSubscriptionMinutes: 4230 });
    receiver = await startReceiver();
    const mail = service(emu);
    const sub = await mail.createSubscription({
      userId: SUPPORT_ID,
      notificationUrl: `${receiver.url}/n`,
      lifecycleNotificationUrl: `${receiver.url}/l`,
      clientState: 'secret',
    });
    const minutes = (Date.parse(sub.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4100);
    expect(minutes).toBeLessThanOrEqual(4230);
    const posts = emu.state.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/subscriptions');
    expect(posts.map((r) => r.status)).toEqual([400, 201]);
    const renewed = await mail.renewSubscription(sub.id);
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThanOrEqual(Date.parse(sub.expiresAt));
  });

  it('stores a mail sent To support@ and Cc sales@ in both, with one internetMessageId', async () => {
    emu = await emulator();
    const mail = service(emu);
    const copies = emu.deliver({
      to: 'support@contoso.com',
      cc: SALES,
      from: 'ana@fabrikam.com',
      subject: 'Quote request',
    });
    expect(copies.map((c) => c.mailbox)).toEqual(['support@contoso.com', SALES]);
    const [a, b] = copies;
    expect(a?.internetMessageId).toBe(b?.internetMessageId);
    expect(a?.id).not.toBe(b?.id);
    const inSales = await mail.getMessage(SALES, b?.id ?? '');
    expect(inSales?.cc).toEqual([{ name: 'Contoso Sales', address: SALES }]);
  });

  it('threads a reply into the conversation of the mail it answers', async () => {
    emu = await emulator();
    const [first] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Order 1042 is late' });
    const [reply] = emu.deliver({
      to: 'support@contoso.com',
      from: 'ana@fabrikam.com',
      subject: 'Re: Order 1042 is late',
      inReplyTo: first?.internetMessageId ?? '',
    });
    const [other] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Another topic' });
    expect(reply?.conversationId).toBe(first?.conversationId);
    expect(other?.conversationId).not.toBe(first?.conversationId);
  });

  it('lists file attachments with their bytes', async () => {
    emu = await emulator();
    const mail = service(emu);
    const content = Buffer.from('PO 1042').toString('base64');
    const [copy] = emu.deliver({
      to: 'support@contoso.com',
      from: 'ana@fabrikam.com',
      subject: 'PO attached',
      attachments: [{ name: 'po.txt', contentType: 'text/plain', contentBase64: content }],
    });
    const atts = await mail.listAttachments(SUPPORT_ID, copy?.id ?? '');
    expect(atts).toEqual([
      { id: expect.any(String), name: 'po.txt', contentType: 'text/plain', size: 7, contentBytes: content },
    ]);
    expect((await mail.getMessage(SUPPORT_ID, copy?.id ?? ''))?.hasAttachments).toBe(true);
  });
});
