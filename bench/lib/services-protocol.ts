/**
 * The messages between the benchmark (the load generator's process) and the services process (the Graph and
 * NetSuite emulators and the Bot Connector stand-in), over Node's IPC channel.
 */

/**
 * A subject carries a token of the run and the email's number (`m1a2b3c4dx17`, a reply `m1a2b3c4dx17r0`), so the
 * services process can index each card it receives by the tokens in it instead of searching every card for
 * every subject.
 */
export const TOKEN = /\bm[0-9a-f]{8}x[0-9]+(?:r[0-9]+)?\b/g;

export const token = (run: string, i: number, reply?: number) =>
  `m${run}x${i}${reply === undefined ? '' : `r${reply}`}`;

/** One email to store in the Graph emulator without it notifying: the benchmark sends the notifications. */
export interface MailSpec {
  /** The subject, with a token of this run (see TOKEN) by which its card is found. */
  subject: string;
  from: string;
  /** The token of an earlier email of this run to reply to (same conversation). */
  replyTo?: string;
}

/** One call the connector accepted, without its body. */
export interface PostSummary {
  op: 'thread' | 'reply' | 'update';
  /** The conversation the call counts against: the channel for a new thread, else the thread. */
  key: string;
  activityId: string;
  at: number;
}

/** When the card of one token reached the connector, and when it was first updated (epoch ms). */
export interface CardArrival {
  token: string;
  postedAt?: number;
  updatedAt?: number;
}

export type Request =
  | { op: 'deliver'; mails: MailSpec[] }
  | { op: 'cards'; tokens: string[]; waitForUpdate: boolean; timeoutMs: number }
  | { op: 'posts' }
  | { op: 'netsuiteLatency'; ms: number }
  | { op: 'close' };

export interface ServicesReady {
  /** The environment that points Mailroom at these emulators, as an operator would set it. */
  env: Record<string, string>;
  connectorUrl: string;
  graphUrl: string;
  netsuiteUrl: string;
}

export type Answer =
  | { op: 'deliver'; bodies: string[] }
  | { op: 'cards'; cards: CardArrival[] }
  | { op: 'posts'; posts: PostSummary[]; throttled: number }
  | { op: 'ok' }
  | { op: 'error'; message: string };

/** What the benchmark passes the services process when it starts it. */
export interface ServicesOptions {
  /** Mailroom's port, for PUBLIC_URL. */
  mailroomPort: number;
  graphPort: number;
  netsuitePort: number;
  connectorPort: number;
  /** Teams' per-thread windows at the connector; [] turns them off. */
  teamsWindows?: Array<{ ms: number; max: number }>;
  netsuiteLatencyMs: number;
}
