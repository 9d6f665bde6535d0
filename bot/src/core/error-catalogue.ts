/**
 * The one catalogue of Mailroom's errors. For each code:
 * - `status`: the HTTP status Mailroom's own endpoints (HTTP routes and the tab API) answer with;
 * - `retryable`: a job tries again later (the fault passes: throttling, an outage); any other fails at once, its
 *   reason kept on the job;
 * - `words`: what happened, in the words a person reads on a card, in a dialog or in the tab. `null` means the
 *   error's own message is written for people (a refusal such as "Only Ana, who claimed it, can release it.");
 * - `next`: what that person can do next;
 * - `fix`: what the admin does about it, when the error does not name a more specific fix (its `remedy`).
 */
export interface ErrorEntry {
  status: number;
  retryable: boolean;
  words: string | null;
  next: string;
  fix: string;
}

const ASK_ADMIN = 'Try again in a few minutes; if it keeps happening, ask your Mailroom admin to check its log.';
const KEEPS_TRYING = 'Mailroom keeps trying; nothing is lost.';
const LOG_FIX = 'Mailroom’s log line for this failure has the service’s whole answer.';

/** A refusal whose message already says what happened, and whose remedy says what to do. */
function refusal(status: number): ErrorEntry {
  return { status, retryable: false, words: null, next: '', fix: '' };
}

export const ERROR_CATALOGUE = {
  config_invalid: {
    status: 500,
    retryable: false,
    words: 'Mailroom is not set up right.',
    next: 'Ask your Mailroom admin to check its settings.',
    fix: 'Mailroom’s log names the setting; correct it, then restart Mailroom.',
  },
  bad_request: refusal(400),
  unauthorized: refusal(401),
  forbidden: refusal(403),
  wrong_tenant: refusal(403),
  not_found: refusal(404),
  /** A known path asked with another method; the answer's Allow header names the ones it takes. */
  method_not_allowed: refusal(405),
  /** A request body over Mailroom's limit, refused before it is read. */
  payload_too_large: refusal(413),
  /** Mailroom could not store what it was sent (its database did not answer): the sender tries again. */
  unavailable: {
    status: 503,
    retryable: true,
    words: 'Mailroom could not store that just now.',
    next: 'Send it again in a moment; nothing was kept.',
    fix: 'Check that the database (DATABASE_URL) answers; Mailroom’s log has its error.',
  },
  /** What a person acted on in the Dashboard has moved on (a save already retried): reloading it is the answer. */
  out_of_date: refusal(409),
  /**
   * A card button whose card moved on (a save no longer failed, a claim already released) or whose data Mailroom
   * cannot read (an unknown verb, missing or invalid fields): trying again would not help; the card as it is now does.
   */
  card_out_of_date: {
    status: 409,
    retryable: false,
    words: 'This card was out of date.',
    next: 'Mailroom did nothing; here is the email as it is now. Act again if you still need to.',
    fix: 'Nothing to do: an old card or an old copy of Teams sent a button Mailroom has moved on from.',
  },
  graph_mailbox_not_found: {
    status: 404,
    retryable: false,
    words: 'There is no such mailbox in this Microsoft 365 tenant.',
    next: 'Check the address for typos.',
    fix: 'Check that the address is a mailbox (shared or user) in this Microsoft 365 tenant.',
  },
  graph_access_denied: {
    status: 502,
    retryable: false,
    words: 'Mailroom is not allowed to read that mailbox.',
    next: 'Ask your Mailroom admin to give Mailroom access to it.',
    fix: 'Give the Mailroom app access to the mailbox (docs/admin.md, sections 2 and 3).',
  },
  /**
   * A team's roster could not be read from Graph (most often 403: the permission is missing). Its mailboxes' mail
   * then counts as not the person's: they see only their own saves, claims and rules, never more.
   */
  team_members_unreadable: {
    status: 502,
    retryable: false,
    words: 'Mailroom could not read which teams you are in.',
    next: 'Until it can, you see only your own saves, claims and autopilot rules. Ask your Mailroom admin to fix it.',
    fix: 'Give the Mailroom app the TeamMember.Read.All application permission with admin consent (docs/admin.md, step 2). Mailroom asks Graph again within 30 seconds.',
  },
  graph_throttled: {
    status: 503,
    retryable: true,
    words: 'Microsoft Graph asked Mailroom to slow down.',
    next: KEEPS_TRYING,
    fix: 'Nothing to do unless it lasts; then fewer mailboxes per Mailroom instance help.',
  },
  graph_unavailable: {
    status: 503,
    retryable: true,
    words: 'Microsoft Graph is not answering right now.',
    next: KEEPS_TRYING,
    fix: 'Check the network path to GRAPH_BASE_URL if it lasts.',
  },
  graph_auth_failed: {
    status: 502,
    retryable: false,
    words: 'Mailroom could not sign in to Microsoft Graph.',
    next: 'Ask your Mailroom admin to check Mailroom’s Graph sign-in.',
    fix: 'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET.',
  },
  graph_error: {
    status: 502,
    retryable: false,
    words: 'Microsoft Graph refused the request.',
    next: ASK_ADMIN,
    fix: LOG_FIX,
  },
  graph_subscription_not_found: {
    status: 502,
    retryable: false,
    words: 'Microsoft Graph forgot Mailroom’s watch on the mailbox.',
    next: 'Mailroom watches it again on its own.',
    fix: 'Nothing to do: Mailroom creates the subscription again and catches up.',
  },
  graph_delta_reset: {
    status: 502,
    retryable: false,
    words: 'Microsoft Graph asked Mailroom to read the folder again.',
    next: 'Mailroom catches up on its own.',
    fix: 'Nothing to do: Mailroom starts the folder again from the last mail seen.',
  },
  teams_throttled: {
    status: 503,
    retryable: true,
    words: 'Teams asked Mailroom to slow down.',
    next: KEEPS_TRYING,
    fix: 'Nothing to do: Mailroom waits as Teams asks.',
  },
  teams_unavailable: {
    status: 503,
    retryable: true,
    words: 'Teams is not answering right now.',
    next: KEEPS_TRYING,
    fix: 'Nothing to do unless it lasts; then check the network path to the Bot Connector.',
  },
  /**
   * A card job waiting for another card to reach Teams first: a reply for its thread's first card, an update for
   * the card's post. A wait, not a failure: it spends none of the job's attempts (core/errors.ts Deferral).
   */
  card_waiting: {
    status: 503,
    retryable: true,
    words: 'This card waits for an earlier card of its conversation to reach Teams.',
    next: KEEPS_TRYING,
    fix: 'Nothing to do: a reply is posted in its thread once the thread’s first card is there. If it lasts, the first card’s own job says what holds it up (Teams throttling or an outage).',
  },
  /** A card job that waited for another card longer than its kind allows (jobs/registry.ts maxWaitMs). */
  card_wait_expired: {
    status: 504,
    retryable: false,
    words: 'The card waited too long for an earlier card of its conversation and was not posted.',
    next: 'Open the email in Outlook.',
    fix: 'Mailroom’s log line “job waited too long for another job” names the email waited for: find why its card.post job neither posted nor failed (a stuck job). A card that fails for good ends the wait at once: the next email starts a thread of its own. Then press Try again on the mailbox in the Dashboard to post the cards that waited.',
  },
  teams_message_too_large: {
    status: 502,
    retryable: false,
    words: 'The card was too large for Teams.',
    next: 'Open the email in Outlook.',
    fix: 'Nothing to do: Teams takes at most about 80 KB per message.',
  },
  teams_error: {
    status: 502,
    retryable: false,
    words: 'Teams refused Mailroom’s message.',
    next: ASK_ADMIN,
    fix: 'Check that Mailroom is still installed in the team and channel (if not, add it again and run /watch there); then press Try again on the mailbox in the Dashboard to post the cards that failed.',
  },
  netsuite_not_configured: {
    status: 503,
    retryable: false,
    words: 'NetSuite is not connected to Mailroom yet.',
    next: 'Ask your Mailroom admin to connect NetSuite.',
    fix: 'Set the NETSUITE_* settings and deploy the Mailroom SuiteApp (docs/admin.md).',
  },
  netsuite_auth_failed: {
    status: 502,
    retryable: false,
    words: 'NetSuite refused Mailroom’s sign-in.',
    next: 'Ask your Mailroom admin to check the NetSuite integration; its log says why.',
    fix: 'Check the NetSuite integration record, its certificate or token, and the role’s permissions.',
  },
  netsuite_concurrency_limit: {
    status: 503,
    retryable: true,
    words: 'NetSuite is busy.',
    next: KEEPS_TRYING,
    fix: 'If it lasts, lower NETSUITE_CONCURRENCY or add SuiteCloud Plus licenses.',
  },
  netsuite_unavailable: {
    status: 503,
    retryable: true,
    words: 'NetSuite is not answering right now.',
    next: KEEPS_TRYING,
    fix: 'Nothing to do unless it lasts; then check NetSuite’s status page and the network path.',
  },
  netsuite_validation: {
    status: 422,
    retryable: false,
    words: 'NetSuite refused it.',
    next: 'Pick another record, or fix it in NetSuite and Retry.',
    fix: 'Check that the record accepts messages and that its required fields are set.',
  },
  netsuite_not_found: {
    status: 404,
    retryable: false,
    words: 'That NetSuite record is gone, or Mailroom’s role cannot see it.',
    next: 'Pick another record.',
    fix: 'Let Mailroom’s NetSuite role see the record, if it should.',
  },
  netsuite_permission: {
    status: 502,
    retryable: false,
    words: 'Mailroom’s NetSuite role is not allowed to do this.',
    next: 'Ask your Mailroom admin to add the permission (admin guide, step 4).',
    fix: 'Give Mailroom’s NetSuite role the permission its log names (docs/admin.md, step 4).',
  },
  netsuite_error: {
    status: 502,
    retryable: false,
    words: 'NetSuite answered unexpectedly.',
    next: 'Retry; if it happens again, ask your Mailroom admin to check the log.',
    fix: LOG_FIX,
  },
  license_missing: refusal(403),
  license_expired: refusal(403),
  license_invalid: refusal(400),
  license_pool_full: refusal(409),
  rule_not_owner: refusal(403),
  claim_taken: refusal(409),
  unknown_mailbox: refusal(404),
  ambiguous_mailbox: refusal(400),
  save_in_progress: {
    status: 409,
    retryable: true,
    words: 'That save is still running.',
    next: 'Wait a minute; nothing is lost.',
    fix: 'Nothing to do: the running attempt finishes the save.',
  },
  /** A defect or a failure nobody mapped: trying the same thing again would fail the same way. */
  internal: {
    status: 500,
    retryable: false,
    words: 'Something went wrong.',
    next: ASK_ADMIN,
    fix: 'This is a bug in Mailroom: report it with its log line.',
  },
} satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Whether a code read back from storage (a job's last error) is one the catalogue knows. */
export function isErrorCode(code: string | null): code is ErrorCode {
  return code !== null && Object.hasOwn(ERROR_CATALOGUE, code);
}

export function errorEntry(code: ErrorCode): ErrorEntry {
  return ERROR_CATALOGUE[code];
}
