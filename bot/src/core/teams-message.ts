import type { Address } from './email.js';

/**
 * A Teams message saved to NetSuite from the messaging extension. Teams sends its content once, in the action's
 * invoke, and Mailroom cannot read it again; so it is kept, and the save job sends what was kept. Its key
 * (conversation and message id) plays the part an email's internetMessageId plays: one save per (key, record).
 */
export interface TeamsMessage {
  id: string;
  tenantId: string;
  key: string;
  /** The team the message was posted in (null in a chat): the Dashboard of that team lists its saves. */
  teamId: string | null;
  subject: string;
  author: Address;
  /** The NetSuite message's body, made safe when it was kept. */
  bodyHtml: string;
  postedAt: string;
  webLink: string | null;
}

export type NewTeamsMessage = Omit<TeamsMessage, 'id'>;

export interface TeamsMessageStore {
  /** Keeps the message unless its key is kept already; either way, the kept one. */
  keep(m: NewTeamsMessage, now: string): Promise<TeamsMessage>;
  byId(tenantId: string, id: string): Promise<TeamsMessage | null>;
}
