import type { SeedGroup, SeedTeam, SeedUser } from '../graph-seed.js';

export interface EmuAddress {
  name: string;
  address: string;
}

export interface EmuFolder {
  id: string;
  userId: string;
  displayName: string;
  parentFolderId: string;
  /** Graph's well-known name (`inbox`, `deleteditems`, …), or null for a folder a person made. */
  wellKnownName: string | null;
  /** Bumped when the folder is created, renamed or moved: folder delta returns what changed. */
  seq: number;
}

export interface EmuAttachment {
  id: string;
  name: string;
  contentType: string;
  contentBytes: string;
  size: number;
}

export interface EmuMessage {
  /** The immutable id: it survives a move. */
  immutableId: string;
  userId: string;
  folderId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: EmuAddress;
  to: EmuAddress[];
  cc: EmuAddress[];
  body: string;
  /** Graph's body.contentType: mail from the CLI is text; tests deliver HTML too. */
  bodyType: 'text' | 'html';
  receivedDateTime: string;
  sentDateTime: string;
  categories: string[];
  attachments: EmuAttachment[];
  /** Bumped on every change: delta returns what changed after a token's watermark. */
  seq: number;
  isDraft: boolean;
}

export interface EmuSubscription {
  id: string;
  userId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  /** Created with Prefer: IdType="ImmutableId": notifications then carry immutable ids. */
  immutableIds: boolean;
}

export interface IssuedToken {
  expiresAt: number;
  roles: string[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  /** Lower-cased names; the Authorization value is redacted. */
  headers: Record<string, string>;
  status: number;
}

export interface NotificationRecord {
  subscriptionId: string;
  url: string;
  kind: 'change' | 'lifecycle';
  messageId?: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
}

export interface Tombstone {
  userId: string;
  folderId: string;
  immutableId: string;
  seq: number;
}

export interface EmulatorState {
  tenantId: string;
  users: SeedUser[];
  teams: SeedTeam[];
  groups: SeedGroup[];
  folders: EmuFolder[];
  messages: EmuMessage[];
  tombstones: Tombstone[];
  subscriptions: Map<string, EmuSubscription>;
  masterCategories: Map<string, Array<{ id: string; displayName: string; color: string }>>;
  /** Issued access tokens: when each expires, and the application permissions (`roles`) it carries. */
  tokens: Map<string, IssuedToken>;
  tokensIssued: number;
  requests: LoggedRequest[];
  notifications: NotificationRecord[];
  seq: number;
  deltaEpoch: number;
}

/** A mail to deliver, as the control endpoint and the CLI give it. */
export interface SandboxMail {
  to: string | string[];
  from: string;
  fromName?: string;
  subject: string;
  body?: string;
  /** `html` delivers `body` as an HTML body (default text). */
  bodyType?: 'text' | 'html';
  cc?: string | string[];
  /** The internetMessageId this mail replies to: it joins that conversation. */
  inReplyTo?: string;
  folder?: string;
  attachments?: Array<{ name: string; contentType?: string; contentBase64: string }>;
}
