import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Every table carries tenant_id, and every query filters on it.
 * Timestamps are ISO-8601 UTC strings (`Date.prototype.toISOString`), which sort as text on both engines.
 * JSON columns are text.
 */
export interface Database {
  conversations: ConversationTable;
  mailboxes: MailboxTable;
  subscriptions: SubscriptionTable;
  emails: EmailTable;
  threads: ThreadTable;
  cards: CardTable;
  jobs: JobTable;
  associations: AssociationTable;
  teams_messages: TeamsMessageTable;
  claims: ClaimTable;
  autopilot_rules: AutopilotRuleTable;
  licenses: LicenseTable;
  license_seats: LicenseSeatTable;
  audit_log: AuditTable;
  delta_state: DeltaStateTable;
  rate_slots: RateSlotTable;
}

/** Where the bot is installed: a team channel, a group chat or a personal chat. */
export interface ConversationTable {
  tenant_id: string;
  conversation_id: string;
  /** channel | personal | groupChat */
  kind: string;
  team_id: string | null;
  channel_id: string | null;
  name: string | null;
  /** JSON of botbuilder's ConversationReference. */
  reference: string;
  installed_at: string;
}

export interface MailboxTable {
  id: string;
  tenant_id: string;
  /** Lower-cased SMTP address. */
  address: string;
  graph_user_id: string;
  display_name: string;
  kind: string;
  channel_conversation_id: string | null;
  channel_name: string | null;
  team_id: string | null;
  /** The team's Microsoft 365 group id (Graph names owners by it); null until Teams has told Mailroom. */
  team_group_id: string | null;
  watched_by: string;
  /** 1 while watched; 0 after /unwatch (rows stay for history). */
  active: number;
  created_at: string;
  last_notification_at: string | null;
  last_catchup_at: string | null;
}

export interface SubscriptionTable {
  /** Graph's subscription id. */
  id: string;
  tenant_id: string;
  mailbox_id: string;
  client_state: string;
  resource: string;
  expires_at: string;
  created_at: string;
  renewed_at: string | null;
  /** active | removed */
  status: string;
}

export interface EmailTable {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  graph_message_id: string;
  internet_message_id: string;
  conversation_id: string;
  subject: string;
  from_name: string;
  from_address: string;
  /** JSON Address[] */
  to_json: string;
  cc_json: string;
  received_at: string;
  sent_at: string | null;
  body_preview: string;
  web_link: string;
  is_draft: number;
  is_outgoing: number;
  has_attachments: number;
  created_at: string;
  /** JSON RecordSuggestion[] once looked up; null while loading. */
  suggestions_json: string | null;
  autopilot_note: string | null;
}

/** A mail conversation's Teams thread in a mailbox's channel: replies go there. */
export interface ThreadTable {
  tenant_id: string;
  mailbox_id: string;
  conversation_id: string;
  /** The Teams conversation id of the thread, `19:…@thread.tacv2;messageid=<root>`. */
  teams_conversation_id: string;
  root_activity_id: string;
  created_at: string;
}

/** The card posted for one email: where it is, so it can be updated. */
export interface CardTable {
  tenant_id: string;
  email_id: string;
  teams_conversation_id: string;
  activity_id: string;
  posted_at: string;
}

export interface JobTable {
  id: string;
  tenant_id: string;
  kind: string;
  /** JSON payload. */
  payload: string;
  /** Unique when set: enqueueing the same key twice is a no-op. */
  dedupe_key: string | null;
  /** queued | running | done | failed */
  status: string;
  /** Tries so far; the kind's retry policy (jobs/registry.ts) says how many it gets. */
  attempts: number;
  run_at: string;
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  last_error_code: string | null;
  /**
   * When the job first waited for another job; a wait spends no attempt (jobs/queue.ts `defer`). Optional, as the
   * column is nullable and newer (migration 011): a row written without it is a job that never waited.
   */
  waiting_since?: string | null;
  created_at: string;
  updated_at: string;
}

/** One (email, NetSuite record) save. Unique per (tenant, internetMessageId, record). */
export interface AssociationTable {
  id: string;
  tenant_id: string;
  email_id: string;
  internet_message_id: string;
  record_type: string;
  record_id: string;
  record_name: string;
  saved_by_id: string;
  saved_by_name: string;
  /** one-time | autopilot */
  mode: string;
  rule_id: string | null;
  /** pending | saved | partial | failed */
  status: string;
  external_id: string;
  netsuite_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON of per-attachment outcomes. */
  attachments_json: string | null;
  created_at: string;
  updated_at: string;
}

/** A Teams message saved from the messaging extension (core/teams-message.ts); unique per (tenant, key). */
export interface TeamsMessageTable {
  id: string;
  tenant_id: string;
  message_key: string;
  team_id: string | null;
  subject: string;
  author_name: string;
  author_address: string;
  body_html: string;
  posted_at: string;
  web_link: string | null;
  created_at: string;
}

/** One row per claimed email: the primary key makes the first click win. */
export interface ClaimTable {
  tenant_id: string;
  email_id: string;
  user_id: string;
  user_name: string;
  claimed_at: string;
  /** The claimer's Teams user id (MRI, `29:…`); null for claims stored before migration 005. */
  user_mri: string | null;
}

export interface AutopilotRuleTable {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  /** thread | address | mailbox */
  kind: string;
  /** conversationId, address, or '' for a mailbox rule. */
  match_value: string;
  /** JSON array of {type,id,name} targets; empty for a mailbox rule (saves to the sender's match). */
  targets_json: string;
  owner_id: string;
  owner_name: string;
  created_at: string;
  /** 1 while on. */
  active: number;
  turned_off_by: string | null;
  turned_off_at: string | null;
}

export interface LicenseTable {
  tenant_id: string;
  /** The raw signed key, as given in LICENSE_KEY. */
  license_key: string;
  seats: number;
  expires_at: string;
  updated_at: string;
}

/** A seat held by a mailbox (shared autopilot) or a person (`/autopilot on me`). */
export interface LicenseSeatTable {
  tenant_id: string;
  /** Lower-cased address of the mailbox or person. */
  subject: string;
  assigned_by: string;
  assigned_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  tenant_id: string;
  at: string;
  actor_id: string;
  actor_name: string;
  /** save | claim | release | rule_on | rule_off | license_assign | license_unassign | watch | unwatch */
  action: string;
  subject: string;
  detail: string | null;
}

/** A folder's stored deltaLink for catch-up. */
export interface DeltaStateTable {
  tenant_id: string;
  mailbox_id: string;
  folder_id: string;
  delta_link: string | null;
  last_received_at: string | null;
  updated_at: string;
}

/** Shared pacing across replicas: one row per sent request, per key (a Teams thread, the NetSuite account). */
export interface RateSlotTable {
  id: string;
  tenant_id: string;
  key: string;
  at: string;
  /** Set while the slot is a held concurrency permit; null for a pacing record. */
  lease_until: string | null;
}
