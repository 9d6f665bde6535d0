import { ERROR_CATALOGUE, isErrorCode } from '../core/error-catalogue.js';
import { JobKind } from '../core/job-kinds.js';
import type { FailedEmailJobs } from './failed-email-jobs.js';

/** What the dashboard knows about one mailbox's health, and the admin step that fixes each problem. */
export interface MailboxFacts {
  address: string;
  channelName: string | null;
  hasChannel: boolean;
  subscription: { status: string; expiresAt: string } | null;
  lastNotificationAt: string | null;
  lastCatchupAt: string | null;
  backlog: { queued: number; running: number; oldestQueuedAt: string | null };
  license: { status: 'licensed' | 'unlicensed' | 'expired'; expiresAt: string | null };
  activeMailboxRules: number;
  failedJobs: FailedEmailJobs;
}

export interface MailboxProblem {
  code: string;
  severity: 'error' | 'warning';
  problem: string;
  /** The admin step that fixes it, in words. */
  fix: string;
}

const MINUTE = 60_000;

/** What each email job does, as the sentence "could not …" ends. */
const JOB_WORDS: Record<string, string> = {
  [JobKind.postCard]: 'post its email’s card',
  [JobKind.updateCard]: 'update its email’s card',
  [JobKind.suggest]: 'look up NetSuite records for its email',
  [JobKind.category]: 'mark its email as saved in Outlook',
  [JobKind.autopilotApply]: 'apply autopilot to its email',
};

/** 2026-11-22T11:31:04.468Z → 2026-11-22 11:31 UTC: the tab shows these sentences as they are. */
const at = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The Dashboard's button on this problem (tab/src/views/Mailboxes.tsx), for an admin of the mailbox. */
const TRY_AGAIN = 'Try again';

/** Pure: the problems a Teams admin should act on, worst first. */
export function mailboxProblems(f: MailboxFacts, now: Date, catchupIntervalMinutes: number): MailboxProblem[] {
  const out: MailboxProblem[] = [];
  const rewatch = `Run /watch ${f.address} in its channel`;
  if (!f.hasChannel) {
    out.push({
      code: 'no_channel',
      severity: 'error',
      problem: 'No channel gets this mailbox’s cards.',
      fix: `Run /watch ${f.address} in the channel that should get its cards.`,
    });
  }
  if (f.subscription?.status !== 'active') {
    out.push({
      code: 'subscription_missing',
      severity: 'error',
      problem: 'Graph is not sending new mail for this mailbox (no active subscription).',
      fix: `${rewatch}; Mailroom subscribes again and catches up on what it missed.`,
    });
  } else if (Date.parse(f.subscription.expiresAt) <= now.getTime()) {
    out.push({
      code: 'subscription_expired',
      severity: 'error',
      problem: `The Graph subscription expired at ${at(f.subscription.expiresAt)}.`,
      fix: `${rewatch}, or check that PUBLIC_URL is reachable from the internet so renewals and notifications get through.`,
    });
  } else if (Date.parse(f.subscription.expiresAt) - now.getTime() < 60 * MINUTE) {
    out.push({
      code: 'subscription_expiring',
      severity: 'warning',
      problem: `The Graph subscription expires at ${at(f.subscription.expiresAt)} and has not been renewed.`,
      fix: 'Check that the Mailroom bot is running (GET /readyz) and that its log shows no Graph errors; it renews subscriptions itself.',
    });
  }
  const failed = failedJobsProblem(f.failedJobs);
  if (failed) out.push(failed);
  const catchupLimit = 3 * catchupIntervalMinutes * MINUTE;
  if (f.subscription && (!f.lastCatchupAt || now.getTime() - Date.parse(f.lastCatchupAt) > catchupLimit)) {
    out.push({
      code: 'catchup_stale',
      severity: 'warning',
      problem: f.lastCatchupAt ? `The last catch-up ran at ${at(f.lastCatchupAt)}.` : 'Catch-up has never run.',
      fix: 'Check that the Mailroom bot is running (GET /readyz) and that Graph credentials are valid; catch-up runs every few minutes on its own.',
    });
  }
  const oldest = f.backlog.oldestQueuedAt ? now.getTime() - Date.parse(f.backlog.oldestQueuedAt) : 0;
  if (oldest > 15 * MINUTE) {
    out.push({
      code: 'backlog_stuck',
      severity: 'warning',
      problem: `${f.backlog.queued} jobs are waiting; the oldest since ${at(f.backlog.oldestQueuedAt ?? '')}.`,
      fix: 'Check that the bot’s workers are running (GET /readyz) and look in its log for NetSuite or Teams errors such as throttling or expired credentials.',
    });
  }
  if (f.license.status === 'expired' && f.activeMailboxRules > 0) {
    out.push({
      code: 'license_expired',
      severity: 'error',
      problem: `The Mailroom license expired${f.license.expiresAt ? ` on ${f.license.expiresAt.slice(0, 10)}` : ''}; autopilot is paused.`,
      fix: 'Set the renewed key in LICENSE_KEY and restart Mailroom.',
    });
  } else if (f.license.status !== 'licensed' && f.activeMailboxRules > 0) {
    out.push({
      code: 'license_missing',
      severity: 'error',
      problem: 'Autopilot is on for this mailbox but it holds no license seat, so nothing is saved automatically.',
      fix: `Run /license assign ${f.address} in the channel (a Mailroom admin), or free a seat with /license unassign.`,
    });
  }
  return out;
}

/**
 * Email jobs that failed for good: their emails lack a card (or its update, suggestions, category) and only the log
 * and the jobs table said so. The admin's step is the catalogue's fix for the newest failure's code.
 */
function failedJobsProblem(f: FailedEmailJobs): MailboxProblem | null {
  if (f.count === 0 || !f.newest) return null;
  const { newest } = f;
  const entry = ERROR_CATALOGUE[isErrorCode(newest.errorCode) ? newest.errorCode : 'internal'];
  const posts = f.byKind[JobKind.postCard] ?? 0;
  const what = entry.words ?? 'It was refused.';
  const fix = entry.fix || 'Mailroom’s log line “job failed for good” for it says why and what to do.';
  const gaveUp = entry.retryable
    ? ' Mailroom retried these jobs until it gave up; its log lines “job failed for good” have each service’s answer.'
    : '';
  return {
    code: 'email_jobs_failed',
    // Posts that failed leave emails missing from the channel; the other kinds leave a card out of date.
    severity: posts > 0 ? 'error' : 'warning',
    problem:
      `${f.count} email ${f.count === 1 ? 'job' : 'jobs'} failed for good since ${at(f.since)}` +
      `${posts > 0 ? `; ${posts === 1 ? '1 email has' : `${posts} emails have`} no card in the channel` : ''}. ` +
      `The newest, at ${at(newest.at)}, could not ${JOB_WORDS[newest.kind] ?? newest.kind} ` +
      `(${newest.errorCode ?? 'no code'}): ${what}`,
    // A refusal's catalogue entry names no fix of its own (its error's remedy did, and jobs keep only the code).
    fix: `${fix}${gaveUp}${fix.includes(TRY_AGAIN) ? '' : ` Once that is fixed, press ${TRY_AGAIN} to run these jobs once more.`}`,
  };
}
