/**
 * The application permissions of the "Mailroom mail reader" registration: exactly what docs/admin.md grants
 * (section 2), what aad.graph.manifest.json and the RBAC commands ask for, and what the sandbox Graph emulator
 * is configured with. A test ties all four together, so a call that needs more fails in the emulator first.
 *
 * - `Mail.ReadWrite`: read messages, folders and delta; set the category on a message (PATCH needs ReadWrite).
 * - `Mail.Read`: the change-notification subscription. Its page lists only read permissions for messages, and
 *   says nothing of ReadWrite; granting Mail.Read as well adds no access (ReadWrite includes it) and follows the
 *   page to the letter. https://learn.microsoft.com/graph/api/subscription-post-subscriptions
 * - `MailboxSettings.Read`: `mailboxSettings/userPurpose` and reading the master category list. Writing the
 *   master list needs MailboxSettings.ReadWrite, which least privilege leaves out: the category still shows on
 *   the message, without a colour (docs/admin.md says how to give it one).
 * - `User.Read.All`: resolve an address typed in `/watch`.
 * - `TeamMember.Read.All`: a team's owners are Mailroom admins of its mailboxes.
 */
export const GRAPH_APP_PERMISSIONS = [
  'Mail.ReadWrite',
  'Mail.Read',
  'MailboxSettings.Read',
  'User.Read.All',
  'TeamMember.Read.All',
] as const;

export type GraphAppPermission = (typeof GRAPH_APP_PERMISSIONS)[number];

/** The two that Exchange grants per mailbox (RBAC for Applications or an access policy), not Entra. */
export const EXCHANGE_SCOPED_PERMISSIONS: readonly GraphAppPermission[] = [
  'Mail.ReadWrite',
  'Mail.Read',
  'MailboxSettings.Read',
];
