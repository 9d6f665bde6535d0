import { describe, expect, it } from 'vitest';
import type { Mailbox } from '../../../../bot/src/core/email.js';
import { ownMailboxNote } from '../../../../bot/src/teams/commands/own-mailbox-note.js';

const mailbox: Mailbox = {
  id: 'mbx-1',
  tenantId: 't1',
  address: 'megan@contoso.com',
  graphUserId: 'aad-megan',
  displayName: 'Megan Bowen',
  kind: 'user',
  channelConversationId: null,
  channelName: null,
  teamId: null,
  teamGroupId: null,
  watchedBy: 'Megan Bowen',
  active: true,
  createdAt: '2026-11-22T10:00:00.000Z',
};
const inSupport = { ...mailbox, channelConversationId: '19:support', channelName: 'Support', watchedBy: 'Adele Vance' };

describe('ownMailboxNote: where /autopilot on me says the person’s mailbox posts', () => {
  it('no channel: no channel cards', () => {
    expect(ownMailboxNote({ mailbox, overtaken: false })).toBe(
      ' Your mailbox gets no channel cards; its saves show on the Dashboard.',
    );
  });

  it('already watched in a channel: its cards go there, not "no channel cards"', () => {
    expect(ownMailboxNote({ mailbox: inSupport, overtaken: false })).toBe(
      " Your mailbox's cards go to Support; its saves show on the Dashboard.",
    );
  });

  it('a channel /watch committed first: who put it where, and that it stays', () => {
    expect(ownMailboxNote({ mailbox: inSupport, overtaken: true })).toBe(
      ' Adele Vance watched your mailbox in Support while your command was on its way, so that stays: its cards go to Support, and its saves show on the Dashboard.',
    );
  });
});
