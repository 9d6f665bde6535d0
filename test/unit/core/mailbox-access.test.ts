import { describe, expect, it } from 'vitest';
import type { MailboxKind } from '../../../bot/src/core/email.js';
import { authorizeMailboxAutopilot, authorizeUnwatch, authorizeWatch } from '../../../bot/src/core/mailbox-access.js';

/** Isaiah is a listed admin; Adele owns the team (which no longer matters for watching); Megan owns her mailbox. */
const auth = { isGlobalAdmin: async (id: string) => id === 'isaiah' };
const shared = { address: 'support@contoso.com', kind: 'shared' as MailboxKind, graphUserId: 'u-support' };
const megans = { address: 'megan@contoso.com', kind: 'user' as MailboxKind, graphUserId: 'MEGAN' };

const watch = (actorId: string, mailbox = shared, active = false) =>
  authorizeWatch(auth, { actorId, mailbox, current: active ? { active } : null });
const unwatch = (actorId: string, mailbox = shared) => authorizeUnwatch(auth, { actorId, mailbox });

describe('who may watch, move and unwatch (core/mailbox-access)', () => {
  it('lets only a listed admin watch a shared mailbox, first or again (a move)', async () => {
    await expect(watch('isaiah')).resolves.toBeUndefined();
    await expect(watch('isaiah', shared, true)).resolves.toBeUndefined();
    await expect(watch('adele')).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
      message: expect.stringMatching(/^Only a Mailroom admin \(listed in MAILROOM_ADMINS/),
      remedy: 'Ask a Mailroom admin to type /watch support@contoso.com in this channel.',
    });
    await expect(watch('adele', shared, true)).rejects.toMatchObject({
      message: expect.stringContaining('can move it or watch it again'),
    });
  });

  it('lets a person watch their own mailbox (object ids in any letter case), and nobody else but an admin', async () => {
    await expect(watch('megan', megans)).resolves.toBeUndefined();
    await expect(watch('megan', megans, true)).resolves.toBeUndefined();
    await expect(watch('isaiah', megans)).resolves.toBeUndefined();
    await expect(watch('adele', megans)).rejects.toMatchObject({ message: expect.stringContaining('only its owner') });
    await expect(watch('', { ...megans, graphUserId: '' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets a listed admin unwatch anything, a person their own mailbox, and nobody else', async () => {
    await expect(unwatch('isaiah')).resolves.toBeUndefined();
    await expect(unwatch('MEGAN', megans)).resolves.toBeUndefined();
    await expect(unwatch('adele')).rejects.toMatchObject({
      message: expect.stringMatching(/^Only a Mailroom admin .* can unwatch support@contoso.com\.$/),
    });
    await expect(unwatch('adele', megans)).rejects.toMatchObject({
      message: expect.stringMatching(/^Only its owner or a Mailroom admin/),
    });
  });

  it("lets anyone turn autopilot on for a shared mailbox, and only its owner or an admin for a person's", async () => {
    const on = (actorId: string, mailbox: typeof shared) => authorizeMailboxAutopilot(auth, { actorId, mailbox });
    await expect(on('adele', shared)).resolves.toBeUndefined();
    for (const kind of ['user', 'delegate'] as MailboxKind[]) {
      await expect(on('megan', { ...megans, kind })).resolves.toBeUndefined();
      await expect(on('isaiah', { ...megans, kind })).resolves.toBeUndefined();
      await expect(on('adele', { ...megans, kind })).rejects.toMatchObject({
        code: 'forbidden',
        status: 403,
        remedy: 'Ask megan@contoso.com to type /autopilot on me in a chat with Mailroom, or ask a Mailroom admin.',
      });
    }
    // An empty id is nobody, not the owner of a mailbox whose user id is unknown.
    await expect(on('', { ...megans, graphUserId: '' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
