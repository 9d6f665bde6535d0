import { describe, expect, it } from 'vitest';
import { type MailboxFacts, mailboxProblems } from '../../../bot/src/tab-api/mailbox-problems.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const healthy: MailboxFacts = {
  address: 'sales@contoso.com',
  channelName: 'Sales',
  hasChannel: true,
  subscription: { status: 'active', expiresAt: '2026-11-24T10:00:00.000Z' },
  lastNotificationAt: '2026-11-22T09:59:00.000Z',
  lastCatchupAt: '2026-11-22T09:50:00.000Z',
  backlog: { queued: 0, running: 0, oldestQueuedAt: null },
  license: { status: 'licensed', expiresAt: '2027-11-22T00:00:00.000Z' },
  activeMailboxRules: 1,
};
const codes = (f: Partial<MailboxFacts>) => mailboxProblems({ ...healthy, ...f }, NOW, 15).map((p) => p.code);

describe('mailboxProblems', () => {
  it('finds nothing wrong with a healthy mailbox', () => {
    expect(codes({})).toEqual([]);
  });

  it('names each problem with the admin step that fixes it', () => {
    const [missing] = mailboxProblems({ ...healthy, subscription: null }, NOW, 15);
    expect(missing?.fix).toBe(
      'Run /watch sales@contoso.com in its channel; Mailroom subscribes again and catches up on what it missed.',
    );
    expect(codes({ subscription: { status: 'removed', expiresAt: '2026-11-24T10:00:00.000Z' } })).toEqual([
      'subscription_missing',
    ]);
    expect(codes({ subscription: { status: 'active', expiresAt: '2026-11-22T10:30:00.000Z' } })).toEqual([
      'subscription_expiring',
    ]);
    expect(codes({ lastCatchupAt: '2026-11-22T09:00:00.000Z' })).toEqual(['catchup_stale']);
    expect(codes({ backlog: { queued: 40, running: 2, oldestQueuedAt: '2026-11-22T09:30:00.000Z' } })).toEqual([
      'backlog_stuck',
    ]);
    expect(codes({ hasChannel: false })).toEqual(['no_channel']);
  });

  it('flags licensing only where autopilot depends on it', () => {
    expect(codes({ license: { status: 'unlicensed', expiresAt: null } })).toEqual(['license_missing']);
    expect(codes({ license: { status: 'unlicensed', expiresAt: null }, activeMailboxRules: 0 })).toEqual([]);
    const [expired] = mailboxProblems(
      { ...healthy, license: { status: 'expired', expiresAt: '2026-11-01T00:00:00.000Z' } },
      NOW,
      15,
    );
    expect(expired?.problem).toBe('The Mailroom license expired on 2026-11-01; autopilot is paused.');
    expect(expired?.fix).toContain('LICENSE_KEY');
  });
});
