import { MailroomError } from '../../../bot/src/core/errors.js';
import type { DirectoryUser, MailService, SubscriptionInfo } from '../../../bot/src/core/ports.js';
import { type WatchAccessDeps, watchMailbox } from '../../../bot/src/core/watch.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { createLogger } from '../../../bot/src/log.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { StoreUnitOfWork } from '../../../bot/src/store/unit-of-work.js';
import type { TestDb } from '../../helpers/db.js';
import { MemoryPorts } from './memory-ports.js';

export const NOW = new Date('2026-11-22T10:00:00.000Z');

export const ADELE = { id: 'aad-adele', name: 'Adele Vance' };
export const ALEX = { id: 'aad-alex', name: 'Alex Wilber' };
export const watchChannel = (id: string, name: string) => ({
  conversationId: id,
  name,
  teamId: '19:team@thread.tacv2',
  channelId: id,
  reference: { conversation: { id, conversationType: 'channel' } },
});
export const SUPPORT_CHANNEL = watchChannel('19:support@thread.tacv2', 'Support');
export const SALES_CHANNEL = watchChannel('19:sales@thread.tacv2', 'Sales');

/** Watches support@ from Support as Adele, unless `extra` says otherwise. */
export function watchSupport(
  deps: WatchAccessDeps,
  extra: { channel?: typeof SUPPORT_CHANNEL; confirmedMove?: boolean; actor?: typeof ADELE } = {},
) {
  const input = { tenantId: 't1', address: 'support@contoso.com', channel: SUPPORT_CHANNEL, actor: ADELE, ...extra };
  return watchMailbox(deps, input, createLogger('silent'));
}

/** Adele and Alex are both Mailroom admins. */
export const bothAdmins = (deps: WatchAccessDeps): WatchAccessDeps => ({
  ...deps,
  authority: { isGlobalAdmin: async (id) => id === ADELE.id || id === ALEX.id },
});

/** In-memory ports, this Graph, and watching's deps over them; `admins` are the listed Mailroom admins. */
export function watchWorld(admins: string[] = []) {
  const ports = new MemoryPorts(() => NOW);
  const graph = new WatchGraph();
  const deps: WatchAccessDeps = {
    mail: graph.service,
    mailboxes: ports.mailboxes,
    uow: ports,
    clock: () => NOW,
    publicUrl: 'https://mailroom.example',
    authority: { isGlobalAdmin: async (id) => admins.includes(id) },
  };
  return { ports, graph, deps };
}

/** Watching's deps over a test database and `graph`; the job sink refuses jobs of `refuseKind`, as a full table would. */
export function watchDbDeps(
  db: TestDb,
  graph: WatchGraph,
  opts: { admins: string[]; refuseKind?: string },
): WatchAccessDeps {
  const queue = new JobQueue(db, () => NOW);
  const uow = new StoreUnitOfWork(db, (trx, afterCommit) => {
    const sink = queue.within(trx, afterCommit);
    return {
      enqueue: async (job) => {
        if (job.kind === opts.refuseKind) throw new Error('the jobs table refused the insert');
        return sink.enqueue(job);
      },
    };
  });
  return {
    mail: graph.service,
    mailboxes: new MailboxRepo(db),
    uow,
    clock: () => NOW,
    publicUrl: 'https://mailroom.example',
    authority: { isGlobalAdmin: async (id) => opts.admins.includes(id) },
  };
}

/**
 * Graph as watching sees it: users with a mailbox purpose, and subscriptions that exist until deleted. Like Graph,
 * it refuses a clientState over 128 characters, and deleting or reading an unknown subscription is a 404.
 */
export class WatchGraph {
  readonly users = new Map<string, DirectoryUser & { purpose: string }>();
  readonly subscriptions = new Map<string, SubscriptionInfo & { userId: string }>();
  readonly calls: string[] = [];
  /** Makes createSubscription or deleteSubscription fail, as a 403 or an outage would. */
  failCreate: MailroomError | null = null;
  failDelete: Error | null = null;
  /** While set, createSubscription waits for it: two watches can both ask Graph before either commits. */
  createGate: Promise<void> | null = null;
  /** While set, getSubscription waits for it: two watches of a live mailbox can both look before either commits. */
  readGate: Promise<void> | null = null;
  /** While set, getSubscription answers what Graph had when asked, but only once it resolves (a slow reply). */
  replyGate: Promise<void> | null = null;
  /** While set, deleteSubscription deletes at once but answers only once it resolves (a slow reply). */
  deleteGate: Promise<void> | null = null;
  private waiters: Array<{ prefix: string; n: number; resolve: () => void }> = [];
  private made = 0;

  constructor() {
    this.addUser('user-support', 'support@contoso.com', 'Contoso Support', 'shared');
    this.addUser('aad-megan', 'megan@contoso.com', 'Megan Bowen', 'user');
  }

  addUser(id: string, mail: string, displayName: string, purpose: string): void {
    this.users.set(mail, { id, mail, displayName, userPrincipalName: mail, purpose });
  }

  /** A subscription that Graph has, as if made earlier. */
  seed(id: string, userId: string, expiresAt: string): void {
    this.subscriptions.set(id, { id, userId, expiresAt, resource: `users/${userId}/messages` });
  }

  creates(): number {
    return this.calls.filter((c) => c.startsWith('POST')).length;
  }

  /**
   * Holds every createSubscription (or getSubscription; or its reply, already read; or deleteSubscription's reply,
   * already deleted) from now until the returned function is called.
   */
  hold(call: 'create' | 'read' | 'reply' | 'delete'): () => void {
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    if (call === 'create') this.createGate = gate;
    else if (call === 'read') this.readGate = gate;
    else if (call === 'delete') this.deleteGate = gate;
    else this.replyGate = gate;
    return open;
  }

  /**
   * `later` looks, then asks Graph for a subscription, which is held; `earlier` then runs whole (its own create is not
   * held) and commits; only then does Graph answer `later`, which commits on what it saw before.
   */
  async overtake<L, E>(later: () => Promise<L>, earlier: () => Promise<E>): Promise<{ first: E; second: L }> {
    const open = this.hold('create');
    const pending = later();
    await this.createsReach(this.creates() + 1);
    this.createGate = null;
    const first = await earlier();
    open();
    return { first, second: await pending };
  }

  /** Resolves once createSubscription has been called `n` times in all. */
  createsReach(n: number): Promise<void> {
    return this.callsReach('POST subscriptions', n);
  }

  /** Resolves once the calls starting with `prefix` number `n` in all. */
  callsReach(prefix: string, n: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ prefix, n, resolve });
      this.call(null);
    });
  }

  private call(line: string | null): void {
    if (line !== null) this.calls.push(line);
    const count = (prefix: string) => this.calls.filter((c) => c.startsWith(prefix)).length;
    for (const w of this.waiters.filter((x) => x.n <= count(x.prefix))) w.resolve();
    this.waiters = this.waiters.filter((x) => x.n > count(x.prefix));
  }

  readonly service = {
    findUser: async (address: string) => {
      this.calls.push(`GET users/${address}`);
      const u = this.users.get(address.toLowerCase());
      return u ? { id: u.id, mail: u.mail, displayName: u.displayName, userPrincipalName: u.userPrincipalName } : null;
    },
    getMailboxPurpose: async (userId: string) => {
      this.calls.push(`GET users/${userId}/mailboxSettings`);
      const u = [...this.users.values()].find((x) => x.id === userId);
      if (!u) throw new MailroomError('graph_mailbox_not_found', `no user ${userId}`);
      return u.purpose;
    },
    getSubscription: async (id: string) => {
      this.call(`GET subscriptions/${id}`);
      await this.readGate;
      const s = this.subscriptions.get(id);
      await this.replyGate;
      return s ? { id: s.id, expiresAt: s.expiresAt, resource: s.resource } : null;
    },
    createSubscription: async (input: { userId: string; clientState: string }) => {
      this.call(`POST subscriptions ${input.userId}`);
      if (this.failCreate) throw this.failCreate;
      await this.createGate;
      if (input.clientState.length > 128) throw new MailroomError('bad_request', 'clientState over 128 characters');
      this.made++;
      const sub = {
        id: `sub-new-${this.made}`,
        userId: input.userId,
        expiresAt: '2026-11-29T10:00:00.000Z',
        resource: `users/${input.userId}/messages`,
      };
      this.subscriptions.set(sub.id, sub);
      return { id: sub.id, expiresAt: sub.expiresAt, resource: sub.resource };
    },
    deleteSubscription: async (id: string) => {
      this.call(`DELETE subscriptions/${id}`);
      if (this.failDelete) throw this.failDelete;
      const deleted = this.subscriptions.delete(id);
      await this.deleteGate;
      if (!deleted) throw new MailroomError('graph_subscription_not_found', `no subscription ${id}`);
    },
  } as unknown as MailService;
}
