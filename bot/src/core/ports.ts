import type { AssociationStore } from './associations.js';
import type { AuditSink } from './audit.js';
import type { RuleStore } from './autopilot-rules.js';
import type { ClaimStore } from './claim.js';
import type { Address, Email, Mailbox, MailboxKind, NewEmail } from './email.js';
import type { RecordRef, RecordSuggestion, RecordType } from './record-ref.js';
import type { TeamsMessageStore } from './teams-message.js';

export { RECORD_TYPES, type RecordRef, type RecordSuggestion, type RecordType } from './record-ref.js';

/**
 * The interfaces core/ talks through. Adapters (mail/, netsuite/, teams/) implement them and main.ts wires
 * them in, so core/ never imports an adapter.
 */

/** A user of a directory (Graph), as much as Mailroom needs. */
export interface DirectoryUser {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
}

/** A message as Graph returns it, mapped to the fields Mailroom uses. */
export interface MailMessage {
  graphMessageId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: Address;
  sender: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  receivedAt: string;
  sentAt: string | null;
  bodyPreview: string;
  /** Present only when asked for (saves); cards use bodyPreview. */
  body?: { contentType: 'html' | 'text'; content: string };
  webLink: string;
  isDraft: boolean;
  hasAttachments: boolean;
  parentFolderId: string;
}

export interface MailAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Base64; absent for item or reference attachments, which are not files. */
  contentBytes?: string;
}

export interface SubscriptionInfo {
  id: string;
  expiresAt: string;
  resource: string;
}

/** Graph, from core's point of view. Every call sends Prefer: IdType="ImmutableId". */
export interface MailService {
  findUser(addressOrId: string): Promise<DirectoryUser | null>;
  /** mailboxSettings/userPurpose: user, shared, room, equipment, … */
  getMailboxPurpose(userId: string): Promise<string>;
  getMessage(userId: string, messageId: string, opts?: { withBody?: boolean }): Promise<MailMessage | null>;
  listAttachments(userId: string, messageId: string): Promise<MailAttachment[]>;
  createSubscription(input: {
    userId: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
  }): Promise<SubscriptionInfo>;
  /** Null when Graph no longer has it (404). */
  getSubscription(id: string): Promise<SubscriptionInfo | null>;
  renewSubscription(id: string): Promise<SubscriptionInfo>;
  reauthorizeSubscription(id: string): Promise<void>;
  deleteSubscription(id: string): Promise<void>;
  /** Adds a category to the message; also to the mailbox's master list (its colour) where Graph allows that. */
  addCategory(userId: string, messageId: string, category: string): Promise<void>;
}

/** Where a card lives in Teams. */
export interface PostedCard {
  teamsConversationId: string;
  activityId: string;
}

/** Teams, from core's point of view. Pacing and retries live behind it. */
export interface ChannelPoster {
  /** Starts a new thread in a channel; the returned conversation id is the thread's. */
  postThread(input: { tenantId: string; channelConversationId: string; card: object }): Promise<PostedCard>;
  /** Replies into an existing thread. */
  replyInThread(input: { tenantId: string; threadConversationId: string; card: object }): Promise<PostedCard>;
  updateCard(input: { tenantId: string; teamsConversationId: string; activityId: string; card: object }): Promise<void>;
}

export interface SaveEmailInput {
  tenantId: string;
  externalId: string;
  /**
   * The same for every record one email is saved to (its internetMessageId), so NetSuite stores its attachments
   * once. Absent for a save that has no attachments of its own (a Teams message).
   */
  emailKey?: string;
  record: RecordRef;
  subject: string;
  /** HTML body. */
  bodyHtml: string;
  author: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  messageDate: string;
  incoming: boolean;
  attachments: MailAttachment[];
}

export interface SaveEmailResult {
  netsuiteMessageId: string;
  /** False when the externalId was already there (a retry after a crash): nothing new was created. */
  created: boolean;
  attachments: Array<{ name: string; status: 'saved' | 'skipped_too_large' | 'failed'; reason?: string }>;
}

/** NetSuite, from core's point of view. */
export interface RecordService {
  readonly configured: boolean;
  /** What an admin must do before saves work, when not configured. */
  readonly setupRemedy: string;
  suggest(addresses: string[], opts?: { budgetMs?: number }): Promise<RecordSuggestion[]>;
  search(text: string, opts?: { limit?: number; budgetMs?: number }): Promise<RecordRef[]>;
  /** Resolves an address to its best record, in the order contact ▸ customer ▸ vendor ▸ partner. */
  matchSender(address: string): Promise<RecordRef | null>;
  saveEmail(input: SaveEmailInput): Promise<SaveEmailResult>;
  recordUrl(ref: { type: RecordType; id: string }): string;
}

/** A side effect to try later: a row in the jobs table before it is attempted (durable, retried, leased). */
export interface JobRequest {
  tenantId: string;
  kind: string;
  payload: unknown;
  /** At most one job with this key waits at a time: enqueueing it again meanwhile is a no-op. */
  dedupeKey?: string;
  runAt?: Date;
}

export interface JobSink {
  /** The new job's id, or null when a job with the same dedupe key is already waiting. */
  enqueue(job: JobRequest): Promise<string | null>;
}

/** Emails, deduplicated on (mailbox, internetMessageId). */
export interface EmailStore {
  /** Stores the email unless this mailbox already has it; `isNew` says which happened. */
  insertIfNew(e: NewEmail, now: string): Promise<{ email: Email; isNew: boolean }>;
  byId(tenantId: string, id: string): Promise<Email | null>;
  /** Every watched copy of one message (a CC to support@ lands in two mailboxes). */
  copies(tenantId: string, internetMessageId: string): Promise<Email[]>;
  /**
   * A mailbox's emails that have a posted card, newest first, at most `limit`: narrowed to one thread or to the
   * emails one address takes part in, when given. The narrowing may keep too many (the caller matches exactly).
   */
  withCards(
    tenantId: string,
    mailboxId: string,
    narrow: { conversationId?: string; party?: string },
    limit: number,
  ): Promise<Email[]>;
  updateGraphId(tenantId: string, id: string, graphMessageId: string): Promise<void>;
  setAutopilotNote(tenantId: string, id: string, note: string | null): Promise<void>;
  /** NetSuite suggestions for the card: null while still being looked up, 'failed' when the lookup gave up. */
  suggestions(tenantId: string, id: string): Promise<RecordSuggestion[] | null | 'failed'>;
  setSuggestions(tenantId: string, id: string, items: RecordSuggestion[] | 'failed'): Promise<void>;
}

/** Watched mailboxes, as much as the commands that only read them need. */
export interface MailboxLookup {
  byId(tenantId: string, id: string): Promise<Mailbox | null>;
}

/** Where the bot is installed (a channel, a personal or group chat); the reference is what proactive posts need. */
export interface ConversationRow {
  tenantId: string;
  conversationId: string;
  kind: 'channel' | 'personal' | 'groupChat';
  teamId: string | null;
  channelId: string | null;
  name: string | null;
  /** botbuilder's ConversationReference, as stored on install. */
  reference: Record<string, unknown>;
  installedAt: string;
}

/** The conversations table, as much as watching a channel writes. */
export interface ConversationStore {
  upsert(row: ConversationRow): Promise<void>;
}

/** What a unit of work may touch. Everything it writes, and every job it enqueues, commits together. */
export interface WorkPorts {
  emails: EmailStore;
  associations: AssociationStore;
  teamsMessages: TeamsMessageStore;
  claims: ClaimStore;
  rules: RuleStore;
  /** Watched mailboxes and their subscription rows (watch, unwatch, subscription upkeep). */
  mailboxes: MailboxStore;
  /** The channel a watch points a mailbox at, with the reference its cards are posted through. */
  conversations: ConversationStore;
  audit: AuditSink;
  jobs: JobSink;
}

/**
 * One transaction per decision: a command's rows and the jobs it enqueues commit together, or none of them do.
 * The work must use only the ports it is given (on SQLite anything else waits for the one connection) and must
 * not call the network, which would hold the transaction open.
 */
export interface UnitOfWork {
  run<T>(work: (tx: WorkPorts) => Promise<T>): Promise<T>;
}

export type { Address, Email, MailboxKind, NewEmail };

/** A Graph subscription as Mailroom keeps it. */
export interface SubscriptionRow {
  id: string;
  tenantId: string;
  mailboxId: string;
  clientState: string;
  resource: string;
  expiresAt: string;
  status: 'active' | 'removed';
}

/** What a watch saw when it planned: the channels it may move the mailbox from, and whether it was active. */
export interface MailboxGuard {
  movableFrom: Array<string | null>;
  seenActive?: boolean;
}

/** The watched mailboxes and their subscriptions, as watching and suggesting need them. */
export interface MailboxStore {
  byAddress(tenantId: string, address: string): Promise<Mailbox | null>;
  byId(tenantId: string, id: string): Promise<Mailbox | null>;
  subscription(id: string): Promise<SubscriptionRow | null>;
  listActive(tenantId?: string): Promise<Mailbox[]>;
  /**
   * Creates the mailbox, or points it (active or not) at the input's channel, and returns the row as it stands.
   * With `movableFrom`, an active row that posts to any other channel than the input's or those listed (null: none)
   * is left as it is, and returned so: another watch bound it there since the caller looked. On PostgreSQL the
   * conflicting row is locked until the commit either way, so the caller decides on its committed state. With
   * `seenActive` as well, the caller planned on an active row: one found inactive (unwatched since) is left as it is
   * too, and returned so.
   */
  upsert(
    input: Omit<Mailbox, 'id' | 'createdAt' | 'active' | 'teamGroupId'> & { teamGroupId?: string | null; now: string },
    guard?: MailboxGuard,
  ): Promise<Mailbox>;
  deactivate(tenantId: string, id: string): Promise<void>;
  saveSubscription(row: SubscriptionRow & { now: string }): Promise<void>;
  subscriptionsFor(tenantId: string, mailboxId: string): Promise<SubscriptionRow[]>;
  updateSubscription(
    id: string,
    set: { expiresAt?: string; status?: 'active' | 'removed'; now: string },
  ): Promise<unknown>;
}

/** The emails suggestions read and annotate. */
export interface SuggestionStore {
  byId(tenantId: string, id: string): Promise<Email | null>;
  setSuggestions(tenantId: string, id: string, items: RecordSuggestion[] | 'failed'): Promise<void>;
}
