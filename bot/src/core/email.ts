/** A mail address as Graph gives it: `{ emailAddress: { name, address } }`, flattened. */
export interface Address {
  name: string;
  address: string;
}

/** The kind of a watched mailbox, from Graph's mailboxSettings.userPurpose (plus our delegate case). */
export type MailboxKind = 'shared' | 'delegate' | 'user' | 'room' | 'equipment' | 'unknown';

/** One email as Mailroom keeps it: only the fields a card, a rule or a save uses. */
export interface Email {
  id: string;
  tenantId: string;
  mailboxId: string;
  /** Graph's immutable id: it survives a move to another folder. */
  graphMessageId: string;
  /** RFC 2822 Message-ID, the same in every mailbox that holds a copy. */
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: Address;
  to: Address[];
  cc: Address[];
  receivedAt: string;
  sentAt: string | null;
  bodyPreview: string;
  webLink: string;
  isDraft: boolean;
  /** Sent by the watched mailbox itself (outgoing mail). */
  isOutgoing: boolean;
  hasAttachments: boolean;
  createdAt: string;
  /** A line about autopilot for this email, such as "No NetSuite match, save it by hand". */
  autopilotNote?: string;
}

/** An email about to be stored: the store gives it its id and creation time. */
export type NewEmail = Omit<Email, 'id' | 'createdAt' | 'autopilotNote'>;

export interface Mailbox {
  id: string;
  tenantId: string;
  address: string;
  graphUserId: string;
  displayName: string;
  kind: MailboxKind;
  /** The Teams conversation of the channel that gets this mailbox's cards (null for `/autopilot on me` mailboxes). */
  channelConversationId: string | null;
  channelName: string | null;
  teamId: string | null;
  /** The team's Microsoft 365 group id: its owners are Mailroom admins for this mailbox's rules. */
  teamGroupId: string | null;
  watchedBy: string;
  active: boolean;
  createdAt: string;
}

/** Turns an address into the short form `sales@` used in chat. */
export function localPart(address: string): string {
  const at = address.indexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
