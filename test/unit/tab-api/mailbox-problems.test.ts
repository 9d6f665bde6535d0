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
  failedJobs: { since: '2026-11-21T10:00:00.000Z', count: 0, byKind: {}, newest: null },
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

  it('names failed email jobs with the catalogue’s fix for the newest one’s code', () => {
    const since = '2026-11-21T10:00:00.000Z';
    const [posts] = mailboxProblems(
      {
        ...healthy,
        failedJobs: {
          since,
          count: 3,
          byKind: { 'card.post': 2, 'card.update': 1 },
          newest: { at: '2026-11-22T09:40:00.000Z', kind: 'card.post', errorCode: 'teams_error' },
        },
      },
      NOW,
      15,
    );
    expect(posts).toEqual({
      code: 'email_jobs_failed',
      severity: 'error',
      problem:
        '3 email jobs failed for good since 2026-11-21 10:00 UTC; 2 emails have no card in the channel. The newest, ' +
        'at 2026-11-22 09:40 UTC, could not post its email’s card (teams_error): Teams refused Mailroom’s message.',
      fix:
        'Check that Mailroom is still installed in the team and channel (if not, add it again and run /watch ' +
        'there); then press Try again on the mailbox in the Dashboard to post the cards that failed.',
    });
    const [waited] = mailboxProblems(
      {
        ...healthy,
        failedJobs: {
          since,
          count: 1,
          byKind: { 'card.update': 1 },
          newest: { at: '2026-11-22T09:00:00.000Z', kind: 'card.update', errorCode: 'card_wait_expired' },
        },
      },
      NOW,
      15,
    );
    expect(waited?.severity).toBe('warning');
    expect(waited?.problem).toMatch(/^1 email job failed for good since .*could not update its email’s card/);
    expect(waited?.fix).toContain('job waited too long for another job');
    // A retryable code that failed for good ran out of retries; a code the catalogue lacks gets the bug report step.
    const retried = (errorCode: string | null) =>
      mailboxProblems(
        {
          ...healthy,
          failedJobs: {
            since,
            count: 1,
            byKind: { 'mail.category': 1 },
            newest: { at: '2026-11-22T09:00:00.000Z', kind: 'mail.category', errorCode },
          },
        },
        NOW,
        15,
      )[0]?.fix;
    // Every fix ends with the Dashboard's button, said once.
    const tail = ' Once that is fixed, press Try again to run these jobs once more.';
    expect(retried('graph_unavailable')).toContain(
      `retried these jobs until it gave up; its log lines “job failed for good” have each service’s answer.${tail}`,
    );
    expect(retried('no_such_code')).toBe(`This is a bug in Mailroom: report it with its log line.${tail}`);
    expect(retried('not_found')).toBe(
      `Mailroom’s log line “job failed for good” for it says why and what to do.${tail}`,
    );
    expect(waited?.fix.match(/Try again/g)).toHaveLength(1);
  });
});
