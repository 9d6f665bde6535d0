import type { EmuFolder, EmulatorState, EmuMessage, EmuSubscription, Tombstone } from './types.js';

/** What a restart keeps: mail, folders, subscriptions and categories. Tokens, request logs and notifications go. */
export interface SavedGraphState {
  tenantId: string;
  folders: EmuFolder[];
  messages: EmuMessage[];
  tombstones: Tombstone[];
  subscriptions: EmuSubscription[];
  masterCategories: Array<[string, Array<{ id: string; displayName: string; color: string }>]>;
  seq: number;
  deltaEpoch: number;
}

export const GRAPH_STATE_VERSION = 1;

export function snapshotGraph(state: EmulatorState): SavedGraphState {
  return {
    tenantId: state.tenantId,
    folders: state.folders,
    messages: state.messages,
    tombstones: state.tombstones,
    subscriptions: [...state.subscriptions.values()],
    masterCategories: [...state.masterCategories.entries()],
    seq: state.seq,
    deltaEpoch: state.deltaEpoch,
  };
}

/**
 * Puts a saved state back. Mail of a mailbox the seed no longer has is dropped with it; a state saved for another
 * tenant is not used at all. Returns what was restored, or null.
 */
export function restoreGraph(
  state: EmulatorState,
  saved: SavedGraphState,
): { messages: number; subscriptions: number } | null {
  if (saved.tenantId !== state.tenantId) return null;
  const users = new Set(state.users.map((u) => u.id));
  const mine = <T extends { userId: string }>(xs: T[]) => xs.filter((x) => users.has(x.userId));
  // Seeded folders keep their seeded ids; folders made since (and renames or moves) come from the file.
  const folders = new Map(state.folders.map((f) => [f.id, f]));
  for (const f of mine(saved.folders)) folders.set(f.id, f);
  state.folders = [...folders.values()];
  state.messages = mine(saved.messages);
  state.tombstones = mine(saved.tombstones);
  state.subscriptions = new Map(mine(saved.subscriptions).map((s) => [s.id, s]));
  state.masterCategories = new Map(saved.masterCategories.filter(([userId]) => users.has(userId)));
  state.seq = Math.max(state.seq, saved.seq);
  state.deltaEpoch = saved.deltaEpoch;
  return { messages: state.messages.length, subscriptions: state.subscriptions.size };
}
