import { activity } from './bot-framework.js';
import type { ConnectorPost, FakeConnector } from './fake-connector.js';

/** A person as Teams names them: `id` is their Teams user id (MRI, `29:…`), as in an activity's `from`. */
export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

type Card = Record<string, unknown>;
type Answer = { kind: 'card'; card: Card } | { kind: 'message'; text: string };

interface PersonalView {
  card: Card;
  /** The version of the message (its index in the connector's posts) this view was fetched on. */
  version: number;
}

interface RefreshDefinition {
  action?: { type?: string; verb?: string; data?: Record<string, unknown> };
  userIds?: unknown;
}

/** Teams does not refresh a user's card again while the card from their last invoke is less than a minute old. */
const REFRESH_QUIET_MS = 60_000;

/**
 * The Teams clients of a channel's members, as far as Adaptive Card refresh goes: each person sees the message's
 * latest card, or the card their own last invoke returned (until the message is updated again). Refresh follows
 * Microsoft's user-specific-views page:
 * - a card refreshes automatically only for the users its `refresh.userIds` lists, by Teams user id (MRI); a card
 *   without `userIds` refreshes for everyone (this channel has fewer than 60 members);
 * - a message update refreshes the listed users' view at once;
 * - opening the channel refreshes it too, but not while the card from that user's last invoke is under a minute old;
 * - anyone may pick Refresh from the message's menu.
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views
 */
export class TeamsClients {
  /** Every automatic or menu refresh the clients sent: who, for which message. */
  readonly refreshes: Array<{ mri: string; activityId: string; trigger: 'automatic' | 'manual' }> = [];
  private readonly views = new Map<string, PersonalView>();
  private readonly lastInvoke = new Map<string, number>();
  private offsetMs = 0;

  constructor(
    private readonly connector: FakeConnector,
    private readonly send: (activity: Record<string, unknown>) => Promise<{ status: number; body: unknown }>,
  ) {}

  /** Moves the clients' clock forward (the one-minute rule). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** What `user` sees on the message now, after Teams has applied any update and refresh due to them. */
  async see(user: TeamsUser, activityId: string): Promise<Card> {
    for (let round = 0; round < 5; round++) {
      const base = this.base(activityId);
      const mine = this.views.get(key(user, activityId));
      if (mine && mine.version >= base.version) return mine.card;
      // The message was updated since this user's own view: every client shows the new card, and the users it
      // lists are refreshed into their own view.
      this.views.delete(key(user, activityId));
      if (!this.listed(base.card, user)) return base.card;
      await this.refresh(user, activityId, base, 'automatic');
    }
    throw new Error('the card kept changing while it was refreshed');
  }

  /** `user` opens the channel: cards that list them refresh, unless their last invoke was under a minute ago. */
  async open(user: TeamsUser, activityId: string): Promise<Card> {
    const base = this.base(activityId);
    const last = this.lastInvoke.get(key(user, activityId));
    if (this.listed(base.card, user) && (last === undefined || this.now() - last >= REFRESH_QUIET_MS)) {
      await this.refresh(user, activityId, base, 'automatic');
    }
    return this.see(user, activityId);
  }

  /** `user` picks Refresh from the message's menu. */
  async refreshFromMenu(user: TeamsUser, activityId: string): Promise<Card> {
    const base = this.base(activityId);
    if (!base.card.refresh) throw new Error('this card has no refresh action for the menu');
    await this.refresh(user, activityId, base, 'manual');
    return this.see(user, activityId);
  }

  /** `user` presses a button: the answer replaces the card for them (a card), or shows them a message. */
  async click(user: TeamsUser, activityId: string, verb: string, data: Record<string, unknown>): Promise<Answer> {
    const base = this.base(activityId);
    return this.invoke(user, activityId, base, { type: 'Action.Execute', verb, data }, 'manual');
  }

  private listed(card: Card, user: TeamsUser): boolean {
    const refresh = card.refresh as RefreshDefinition | undefined;
    if (!refresh?.action) return false;
    if (refresh.userIds === undefined) return true;
    return Array.isArray(refresh.userIds) && refresh.userIds.includes(user.id);
  }

  private async refresh(
    user: TeamsUser,
    activityId: string,
    base: { card: Card; version: number; post: ConnectorPost },
    trigger: 'automatic' | 'manual',
  ): Promise<void> {
    const action = (base.card.refresh as RefreshDefinition).action ?? {};
    this.refreshes.push({ mri: user.id, activityId, trigger });
    await this.invoke(user, activityId, base, action, trigger);
  }

  private async invoke(
    user: TeamsUser,
    activityId: string,
    base: { version: number; post: ConnectorPost },
    action: RefreshDefinition['action'],
    trigger: 'automatic' | 'manual',
  ): Promise<Answer> {
    const res = await this.send(
      activity('cardAction', {
        id: `f:${Math.random().toString(36).slice(2)}`,
        from: user,
        conversation: { id: base.post.conversationId },
        replyToId: activityId,
        value: { action: { type: 'Action.Execute', ...action }, trigger },
      }),
    );
    if (res.status !== 200) throw new Error(`invoke answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.lastInvoke.set(key(user, activityId), this.now());
    const body = res.body as { type?: string; value?: unknown };
    if (body.type !== 'application/vnd.microsoft.card.adaptive') {
      return { kind: 'message', text: typeof body.value === 'string' ? body.value : JSON.stringify(body.value) };
    }
    const card = body.value as Card;
    // The answer replaces the card for this user's client only, on the message version it was asked on.
    this.views.set(key(user, activityId), { card, version: base.version });
    return { kind: 'card', card };
  }

  private base(activityId: string): { card: Card; version: number; post: ConnectorPost } {
    const posts = this.connector.posts;
    let first: ConnectorPost | undefined;
    let latest: { card: Card; version: number } | undefined;
    posts.forEach((p, i) => {
      if (p.activityId !== activityId) return;
      first ??= p;
      const card = (p.activity.attachments as Array<{ content?: Card }> | undefined)?.[0]?.content;
      if (card) latest = { card, version: i };
    });
    if (!first || !latest) throw new Error(`no card was posted as message ${activityId}`);
    // Updates are PUT to the thread; the root post names the thread the message lives in.
    return { ...latest, post: first };
  }

  private now(): number {
    return Date.now() + this.offsetMs;
  }
}

const key = (user: TeamsUser, activityId: string) => `${user.id}|${activityId}`;
