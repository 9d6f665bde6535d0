import { beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import { ensureSubscription } from '../../../bot/src/core/subscribe.js';
import { type WatchAccessDeps, watchMailbox } from '../../../bot/src/core/watch.js';
import { createLogger } from '../../../bot/src/log.js';
import type { MemoryPorts } from './memory-ports.js';
import { type WatchGraph, watchWorld } from './watch-graph.js';

const log = createLogger('silent');

describe('ensureSubscription (subscription upkeep) against in-memory ports', () => {
  let ports: MemoryPorts;
  let graph: WatchGraph;
  let deps: WatchAccessDeps;

  beforeEach(async () => {
    ({ ports, graph, deps } = watchWorld(['aad-adele']));
    const channel = { conversationId: '19:support@thread.tacv2', name: 'Support', teamId: null };
    const actor = { id: 'aad-adele', name: 'Adele Vance' };
    await watchMailbox(deps, { tenantId: 't1', address: 'support@contoso.com', channel, actor }, log);
    ports.state.jobs = [];
  });

  const mailbox = async () => {
    const m = await ports.mailboxes.byAddress('t1', 'support@contoso.com');
    if (!m) throw new Error('no mailbox');
    return m;
  };

  it('asks Graph and writes nothing while the subscription is live', async () => {
    const before = structuredClone(ports.state);
    expect(await ensureSubscription(deps, await mailbox(), log)).toBe('live');
    expect(ports.state).toEqual(before);
    expect(graph.creates()).toBe(1);
  });

  it('recreates a removed subscription with its renewal and a catch-up, all in one commit', async () => {
    graph.subscriptions.clear();
    const opts = { gone: ['sub-new-1'], catchupReason: 'recreated' };
    const before = structuredClone(ports.state);
    ports.jobs.refuse = (j) => j.kind === JobKind.catchup;
    await expect(ensureSubscription(deps, await mailbox(), log, opts)).rejects.toThrow(/jobs table/);
    expect(ports.state).toEqual(before);
    expect(graph.subscriptions.size).toBe(0);
    expect(graph.calls).not.toContain('GET subscriptions/sub-new-1');

    ports.jobs.refuse = null;
    expect(await ensureSubscription(deps, await mailbox(), log, opts)).toBe('replaced');
    expect(ports.state.subscriptions.map((s) => [s.id, s.status])).toEqual([
      ['sub-new-1', 'removed'],
      ['sub-new-3', 'active'],
    ]);
    expect(ports.state.jobs.map((j) => [j.kind, j.payload])).toEqual([
      [JobKind.renew, { subscriptionId: 'sub-new-3', mailboxId: 'mbx-1', action: 'renew' }],
      [JobKind.catchup, { mailboxId: 'mbx-1', reason: 'recreated' }],
    ]);
  });
});
