import type { ServerResponse } from 'node:http';
import { graphError, type Req } from './http.js';

/**
 * Which application permissions each Graph operation accepts: the least privileged one and the higher ones, as
 * the operation's "Permissions" table on Microsoft Learn lists them (the page is named beside each entry).
 */
export const ACCEPTS = {
  /** https://learn.microsoft.com/graph/api/user-get, user-list */
  userRead: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /** https://learn.microsoft.com/graph/api/user-get-mailboxsettings */
  mailboxSettingsRead: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  /** https://learn.microsoft.com/graph/api/outlookuser-list-mastercategories */
  masterCategoriesRead: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  /** https://learn.microsoft.com/graph/api/outlookuser-post-mastercategories: ReadWrite only. */
  masterCategoriesWrite: ['MailboxSettings.ReadWrite'],
  /** https://learn.microsoft.com/graph/api/message-get, mailfolder-get, mailfolder-list-childfolders, message-delta, mailfolder-delta */
  mailRead: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'],
  /** https://learn.microsoft.com/graph/api/message-list-attachments (attachments are not "basic") */
  attachmentsRead: ['Mail.Read', 'Mail.ReadWrite'],
  /** https://learn.microsoft.com/graph/api/message-update */
  mailWrite: ['Mail.ReadWrite'],
  /**
   * https://learn.microsoft.com/graph/api/subscription-post-subscriptions (resource: message; get, update and
   * delete alike): the application column lists Mail.Read alone. Mail.ReadBasic was taken off that list because
   * Graph refuses it (microsoftgraph/microsoft-graph-docs#16731); ReadWrite is not listed, so it is not taken.
   */
  messageSubscription: ['Mail.Read'],
  /** https://learn.microsoft.com/graph/api/user-list-transitivememberof (another user's memberships, application) */
  memberOfRead: [
    'User.Read.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'Group.Read.All',
    'GroupMember.Read.All',
  ],
  /** https://learn.microsoft.com/graph/api/team-list-members */
  teamMembersRead: ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'],
} as const satisfies Record<string, readonly string[]>;

/** Each Graph workload refuses a missing permission in its own words. */
export type Workload = 'outlook' | 'directory' | 'teams' | { subscription: 'Create' | 'Get' | 'Update' | 'Delete' };

/**
 * True when the token's roles include one of `accepted`; otherwise answers 403 as that workload does and returns
 * false. Outlook: ErrorAccessDenied; directory: Authorization_RequestDenied; Teams: Forbidden naming the roles;
 * subscriptions: ExtensionError wrapping the workload's Forbidden.
 */
export function permitted(req: Req, res: ServerResponse, accepted: readonly string[], workload: Workload): boolean {
  if (accepted.some((p) => req.roles.has(p))) return true;
  if (workload === 'outlook') {
    graphError(res, req, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  } else if (workload === 'directory') {
    graphError(res, req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  } else if (workload === 'teams') {
    graphError(
      res,
      req,
      403,
      'Forbidden',
      `Missing role permissions on the request. API requires one of '${accepted.join(', ')}'. Roles on the request '${[...req.roles].join(', ')}'.`,
    );
  } else {
    graphError(
      res,
      req,
      403,
      'ExtensionError',
      `Operation: ${workload.subscription}; Exception: [Status Code: Forbidden; Reason: Access denied]`,
    );
  }
  return false;
}
