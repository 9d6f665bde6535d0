// The API's own response types, so the tab and the server cannot drift apart. Type-only: nothing is bundled.
export type { AuditAction } from '../../bot/src/core/audit.js';
export type { AdminStatus } from '../../bot/src/tab-api/admin-status.js';
export type { ActivityRow } from '../../bot/src/tab-api/list-activity.js';
export type { AssociationRow, Page } from '../../bot/src/tab-api/list-associations.js';
export type { ClaimsByPerson } from '../../bot/src/tab-api/list-claims.js';
export type { MailboxCard, MailboxName } from '../../bot/src/tab-api/list-mailboxes.js';
export type { RuleRow } from '../../bot/src/tab-api/list-rules.js';

export interface Me {
  identity: { oid: string; tid: string; name: string; upn: string };
  isAdmin: boolean;
  /** Why the caller is an admin, or why not. */
  admin: import('../../bot/src/tab-api/admin-status.js').AdminStatus;
  /** Which mailboxes the caller sees (their teams'), or why fewer. */
  reach: import('../../bot/src/tab-api/viewer-scope.js').DashboardReach;
  tenant: { id: string };
}
