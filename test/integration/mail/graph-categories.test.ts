import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_APP_PERMISSIONS } from '../../../bot/src/mail/graph-permissions.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { caught, emulator, SUPPORT_ID, service } from './graph-test-kit.js';

const CATEGORY = 'Saved to NetSuite';

describe('the Outlook category, under the permissions docs/admin.md grants', () => {
  let emu: GraphEmulator;
  afterEach(async () => emu?.close());

  function delivered(subject: string) {
    const [copy] = emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject });
    const msg = emu.state.messages.find((m) => m.immutableId === copy?.id);
    if (!copy || !msg) throw new Error('not delivered');
    return { id: copy.id, msg };
  }
  const masterPosts = () =>
    emu.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/outlook/masterCategories'));

  it('sets the category on the message although the master list may not be written (403), asking once', async () => {
    emu = await emulator();
    const mail = service(emu);
    const first = delivered('Order 1042 is late');
    first.msg.categories = ['Red category'];
    await mail.addCategory(SUPPORT_ID, first.id, CATEGORY);
    expect(first.msg.categories).toEqual(['Red category', CATEGORY]);
    expect(emu.state.masterCategories.get(SUPPORT_ID) ?? []).toEqual([]);
    expect(masterPosts().map((r) => r.status)).toEqual([403]);

    // The next save in that mailbox does not ask again (no colour until the admin adds one).
    const second = delivered('Invoice 7');
    await mail.addCategory(SUPPORT_ID, second.id, CATEGORY);
    expect(second.msg.categories).toEqual([CATEGORY]);
    expect(masterPosts()).toHaveLength(1);
    const patches = emu.state.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.status)).toEqual([200, 200]);
  });

  it('adds the category with a colour to the master list once, where MailboxSettings.ReadWrite is granted', async () => {
    emu = await emulator({
      permissions: [...GRAPH_APP_PERMISSIONS.filter((p) => p !== 'MailboxSettings.Read'), 'MailboxSettings.ReadWrite'],
    });
    const mail = service(emu);
    const { id, msg } = delivered('Saved');
    await mail.addCategory(SUPPORT_ID, id, CATEGORY);
    await mail.addCategory(SUPPORT_ID, id, CATEGORY);
    expect(msg.categories).toEqual([CATEGORY]);
    const master = emu.state.masterCategories.get(SUPPORT_ID) ?? [];
    expect(master.map((c) => c.displayName)).toEqual([CATEGORY]);
    expect(master[0]?.color).toMatch(/^preset\d+$/);
  });

  it('still marks the message when even reading the master list is refused', async () => {
    emu = await emulator({ permissions: GRAPH_APP_PERMISSIONS.filter((p) => p !== 'MailboxSettings.Read') });
    const mail = service(emu);
    const { id, msg } = delivered('No settings access');
    await mail.addCategory(SUPPORT_ID, id, CATEGORY);
    expect(msg.categories).toEqual([CATEGORY]);
  });

  it('fails with the access remedy when the app may only read mail (Mail.Read cannot PATCH)', async () => {
    emu = await emulator({ permissions: ['Mail.Read', 'MailboxSettings.Read', 'User.Read.All'] });
    const mail = service(emu);
    const { id, msg } = delivered('Read only');
    const err = await caught(mail.addCategory(SUPPORT_ID, id, CATEGORY));
    expect(err.code).toBe('graph_access_denied');
    expect(err.remedy).toContain('Mail.ReadWrite');
    expect(msg.categories).toEqual([]);
  });
});
