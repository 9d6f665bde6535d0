import { MailroomError } from '../../../bot/src/core/errors.js';
import type { DirectoryUser, MailService, SubscriptionInfo } from '../../../bot/src/core/ports.js';
import type { WatchAccessDeps } from '../../../bot/src/core/watch.js';
import { MemoryPorts } from './memory-ports.js';

export const NOW = new Date('2026-11-22T10:00:00.000Z');

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
  private createWaiters: Array<{ n: number; resolve: () => void }> = [];
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

  /** Resolves once createSubscription has been called `n` times in all. */
  createsReach(n: number): Promise<void> {
    return new Promise((resolve) => {
      this.createWaiters.push({ n, resolve });
      this.wakeCreateWaiters();
    });
  }

  private wakeCreateWaiters(): void {
    const made = this.creates();
    for (const w of this.createWaiters.filter((x) => x.n <= made)) w.resolve();
    this.createWaiters = this.createWaiters.filter((x) => x.n > made);
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
      this.calls.push(`GET subscriptions/${id}`);
      const s = this.subscriptions.get(id);
      return s ? { id: s.id, expiresAt: s.expiresAt, resource: s.resource } : null;
    },
    createSubscription: async (input: { userId: string; clientState: string }) => {
      this.calls.push(`POST subscriptions ${input.userId}`);
      this.wakeCreateWaiters();
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
      this.calls.push(`DELETE subscriptions/${id}`);
      if (this.failDelete) throw this.failDelete;
      if (!this.subscriptions.delete(id)) {
        throw new MailroomError('graph_subscription_not_found', `no subscription ${id}`);
      }
    },
  } as unknown as MailService;
}
