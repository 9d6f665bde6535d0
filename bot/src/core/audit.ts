/** Who did something: a Teams user (AAD object id and display name), or `autopilot` for rule-driven work. */
export interface Actor {
  id: string;
  name: string;
}

export type AuditAction =
  | 'save'
  | 'claim'
  | 'release'
  | 'rule_on'
  | 'rule_off'
  | 'license_assign'
  | 'license_unassign'
  | 'license_key'
  | 'watch'
  | 'move'
  | 'unwatch'
  | 'retry_jobs';

export interface AuditInput {
  tenantId: string;
  actor: Actor;
  action: AuditAction;
  /** What it was done to: an email id, a rule id, a mailbox or person address. */
  subject: string;
  /** Anything a reader of the log needs to understand the entry; stored as JSON. */
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  tenantId: string;
  at: string;
  actor: Actor;
  action: AuditAction;
  subject: string;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  tenantId: string;
  action?: AuditAction;
  actorId?: string;
  /** Inclusive ISO-8601 bounds on the entry time. */
  from?: string;
  to?: string;
  /** The nextCursor of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Where core writes its audit trail: every save, claim, release, rule change and license change. */
export interface AuditSink {
  record(input: AuditInput): Promise<void>;
}

/** The readable side, for the Dashboard. Newest first. */
export interface AuditLog extends AuditSink {
  list(query: AuditQuery): Promise<AuditPage>;
}
