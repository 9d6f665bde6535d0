import { beforeEach, describe, expect, it } from 'vitest';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import type { WatchDeps } from '../../../bot/src/core/watch.js';
import { watchOwnMailbox } from '../../../bot/src/core/watch-own.js';
import { createLogger } from '../../../bot/src/log.js';
import type { MemoryPorts } from './memory-ports.js';
import { type WatchGraph, watchWorld } from './watch-graph.js';

const log = createLogger('silent');
const MEGAN = { id: 'aad-megan', name: 'Megan Bowen' };

describe('watchOwnMailbox (/autopilot on me) against in-memory ports', () => {
  let ports: MemoryPorts;
  let graph: WatchGraph;
  let deps: WatchDeps;

  beforeEach(() => {
    ({ ports, graph, deps } = watchWorld());
  });

  it('watches the caller’s own mailbox with no channel: mailbox, subscription, renewal and audit together', async () => {
    const { mailbox: mb, overtaken } = await watchOwnMailbox(
      deps,
      { tenantId: 't1', address: 'megan@contoso.com', actor: MEGAN },
      log,
    );
    expect(overtaken).toBe(false);
    expect(mb).toMatchObject({ kind: 'user', channelConversationId: null, active: true });
    expect(ports.state.subscriptions.map((s) => [s.id, s.mailboxId])).toEqual([['sub-new-1', mb.id]]);
    expect(ports.state.jobs.map((j) => j.kind)).toEqual([JobKind.renew]);
    expect(ports.state.audit).toEqual([
      expect.objectContaining({
        action: 'watch',
        subject: 'megan@contoso.com',
        detail: expect.objectContaining({ channel: null }),
      }),
    ]);
  });

  it('rolls everything back and unsubscribes when the audit entry cannot be written', async () => {
    ports.audit.refuse = () => true;
    await expect(
      watchOwnMailbox(deps, { tenantId: 't1', address: 'megan@contoso.com', actor: MEGAN }, log),
    ).rejects.toThrow(/audit/);
    expect(ports.state).toMatchObject({ mailboxes: [], subscriptions: [], jobs: [], audit: [] });
    expect(graph.subscriptions.size).toBe(0);
  });

  it('refuses someone else’s mailbox before subscribing, and writes nothing', async () => {
    const alex = { id: 'aad-alex', name: 'Alex Wilber' };
    await expect(
      watchOwnMailbox(deps, { tenantId: 't1', address: 'megan@contoso.com', actor: alex }, log),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(graph.creates()).toBe(0);
    expect(ports.state).toMatchObject({ mailboxes: [], subscriptions: [], jobs: [], audit: [] });
  });
});
