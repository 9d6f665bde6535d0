import type { WatchAccessDeps } from '../../../bot/src/core/watch.js';
import type { Engine } from '../../../bot/src/store/db.js';
import { createTestDb, testEngines } from '../../helpers/db.js';
import { ADELE, ALEX, WatchGraph, watchDbDeps, watchWorld } from './watch-graph.js';

/** What watching wrote, the same whether it was written in memory or in a database, in the order it was written. */
export interface WatchRows {
  mailboxes: Array<{ channel: string | null; watchedBy: string; active: boolean }>;
  /** Sorted: one watch writes at most one, and two of the same instant tie on their time. */
  conversations: string[];
  subscriptions: Array<{ id: string; status: string }>;
  jobs: Array<{ kind: string; subscriptionId: unknown }>;
  audit: Array<{ action: string; actor: string; detail: unknown }>;
}

/** Watching's deps with Adele and Alex as listed admins, the Graph fake under them, and a reader of the rows. */
export interface WatchRowsWorld {
  deps: WatchAccessDeps;
  graph: WatchGraph;
  rows(): Promise<WatchRows>;
  close(): Promise<void>;
}

/** In memory, then on each test engine (SQLite always, PostgreSQL when TEST_DATABASE_URL is set). */
export const WATCH_WORLDS: Array<'memory' | Engine> = ['memory', ...testEngines()];

const admins = [ADELE.id, ALEX.id];

export async function watchRowsWorld(where: 'memory' | Engine): Promise<WatchRowsWorld> {
  if (where === 'memory') {
    const { ports, graph, deps } = watchWorld(admins);
    const s = () => ports.state;
    const rows = async (): Promise<WatchRows> => ({
      mailboxes: s().mailboxes.map((m) => ({
        channel: m.channelConversationId,
        watchedBy: m.watchedBy,
        active: m.active,
      })),
      conversations: s()
        .conversations.map((c) => c.conversationId)
        .sort(),
      subscriptions: s().subscriptions.map((x) => ({ id: x.id, status: x.status })),
      jobs: s().jobs.map((j) => ({
        kind: j.kind,
        subscriptionId: (j.payload as { subscriptionId?: unknown }).subscriptionId,
      })),
      audit: s().audit.map((a) => ({ action: a.action, actor: a.actor.name, detail: a.detail })),
    });
    return { deps, graph, rows, close: async () => {} };
  }
  const db = await createTestDb(where);
  const graph = new WatchGraph();
  const k = db.kysely;
  const rows = async (): Promise<WatchRows> => ({
    mailboxes: (await k.selectFrom('mailboxes').selectAll().execute()).map((m) => ({
      channel: m.channel_conversation_id,
      watchedBy: m.watched_by,
      active: m.active === 1,
    })),
    conversations: (await k.selectFrom('conversations').select('conversation_id').execute())
      .map((c) => c.conversation_id)
      .sort(),
    subscriptions: (await k.selectFrom('subscriptions').select(['id', 'status']).orderBy('id').execute()).map((x) => ({
      id: x.id,
      status: x.status,
    })),
    jobs: (await k.selectFrom('jobs').select(['kind', 'payload']).orderBy('run_at').execute()).map((j) => ({
      kind: j.kind,
      subscriptionId: (JSON.parse(j.payload) as { subscriptionId?: unknown }).subscriptionId,
    })),
    audit: (await k.selectFrom('audit_log').selectAll().orderBy('id').execute()).map((a) => ({
      action: a.action,
      actor: a.actor_name,
      detail: a.detail === null ? undefined : JSON.parse(a.detail),
    })),
  });
  return { deps: watchDbDeps(db, graph, { admins }), graph, rows, close: () => db.drop() };
}
