import type { ServerResponse } from 'node:http';
import type { Req } from './http.js';
import type { Notifier } from './notifier.js';
import type { EmulatorState } from './types.js';

export interface Faults {
  throttle: { remaining: number; status: 429 | 503; retryAfterSeconds: number };
  /** User ids whose mailbox answers 403, as without an RBAC assignment or access policy. */
  denied: Set<string>;
  /**
   * Folder delta lists only top-level folders. The page does not say whether nested folders are included (they
   * are, by every report); this plays the other reading, so Mailroom is shown to be right under both.
   */
  shallowFolderDelta: boolean;
  /** Requests to keep waiting before they are answered (one each, first match): see GraphEmulator.faults.hold. */
  holds: Array<{ method: string; path: RegExp; reached: () => void; released: Promise<void> }>;
}

export interface EmuContext {
  state: EmulatorState;
  notifier: Notifier;
  faults: Faults;
  now: () => Date;
  /** e.g. http://127.0.0.1:PORT */
  url: () => string;
  clientId: string;
  clientSecret: string;
  /** The application permissions admin consent (and Exchange RBAC) gave the app: tokens carry them as `roles`. */
  permissions: string[];
  maxSubscriptionMinutes: number;
}

/** A route handler answers and returns true, or returns false to let the next one try. */
export type Route = (req: Req, res: ServerResponse, ctx: EmuContext) => boolean | Promise<boolean>;
