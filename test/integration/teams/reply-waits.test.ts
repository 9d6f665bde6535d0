import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import type { ChannelPoster } from '../../../bot/src/core/ports.js';
import { JobKind, updateCardJob } from '../../../bot/src/jobs/kinds.js';
import { DEFAULT_RETRY } from '../../../bot/src/jobs/registry.js';
import type { CardRepo } from '../../../bot/src/store/repos/cards.js';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { emailId } from '../autopilot/kit.js';

const SUPPORT = 'support@contoso.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `ok` holds; the test's own timeout bounds it. */
async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ok())) await sleep(20);
}

/** A promise with its resolve, to hold a card post until the test lets it go. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { opened, open };
}

describe('a reply’s card waits for its thread’s first card, without spending its attempts', () => {
  let h: Harness;
  let poster: ChannelPoster;
  let cards: CardRepo;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    h = await startHarness({ netsuite: false, logLines: lines });
    await h.watch(SUPPORT);
    poster = h.mailroom.cardDeps.poster;
    cards = h.mailroom.cardDeps.cards;
  });
  afterEach(() => {
    h.mailroom.cardDeps.poster = poster;
    h.mailroom.cardDeps.cards = cards;
  });
  afterAll(async () => h?.close());

  /** Holds the next new thread's post until `release`; then it posts, or fails as `fail` says. */
  function holdFirstThread(fail?: MailroomError) {
    const g = gate();
    const state = { held: false, release: g.open };
    let first = true;
    h.mailroom.cardDeps.poster = {
      postThread: async (input) => {
        if (!first) return poster.postThread(input);
        first = false;
        state.held = true;
        await g.opened;
        if (fail) throw fail;
        return poster.postThread(input);
      },
      replyInThread: (input) => poster.replyInThread(input),
      updateCard: (input) => poster.updateCard(input),
    };
    return state;
  }

  /** Counts, per email, how often its card job found another email's card starting the thread and had to wait. */
  function countLooks(): Map<string, number> {
    const looks = new Map<string, number>();
    const counting = Object.create(cards) as CardRepo;
    counting.takeOverThread = (mailboxId, conversationId, id, takeOver) => {
      looks.set(id, (looks.get(id) ?? 0) + 1);
      return cards.takeOverThread(mailboxId, conversationId, id, takeOver);
    };
    h.mailroom.cardDeps.cards = counting;
    return looks;
  }

  const deliver = (subject: string, inReplyTo?: string) => {
    const [copy] = h.sandbox.graph.deliver({
      to: [SUPPORT],
      from: 'ana@fabrikam.com',
      subject,
      ...(inReplyTo ? { inReplyTo } : {}),
    });
    if (!copy) throw new Error('nothing delivered');
    return copy;
  };

  /** Each email's card.post job, by email id. */
  async function postJobs() {
    const rows = await h.mailroom.db.kysely
      .selectFrom('jobs')
      .select(['payload', 'status', 'attempts', 'waiting_since', 'last_error_code'])
      .where('kind', '=', JobKind.postCard)
      .execute();
    return new Map(rows.map((r) => [(JSON.parse(r.payload) as { emailId: string }).emailId, r]));
  }

  const cardPosts = (from: number) => h.connector.posts.slice(from).filter((p) => p.op !== 'update');

  it('posts the replies in the thread after its first card, each on its first attempt however often it looked', async () => {
    const before = h.connector.posts.length;
    const held = holdFirstThread();
    const root = deliver('Slow root');
    await until(() => held.held);
    const subjects = ['Re: Slow root 1', 'Re: Slow root 2', 'Re: Slow root 3'];
    const looks = countLooks();
    for (const s of subjects) deliver(s, root.internetMessageId);
    // More looks each than a card job has attempts: waiting spent them, the replies would have failed for good.
    await until(() => looks.size === 3 && [...looks.values()].every((n) => n > DEFAULT_RETRY.maxAttempts));
    expect(cardPosts(before)).toEqual([]);
    held.release();
    await h.settle();

    const posts = cardPosts(before);
    expect(posts.map((p) => p.op)).toEqual(['thread', 'reply', 'reply', 'reply']);
    expect(new Set(posts.slice(1).map((p) => p.conversationId))).toEqual(new Set([posts[0]?.conversationId]));
    const ids = await Promise.all(['Slow root', ...subjects].map((s) => emailId(h, s)));
    const jobs = await postJobs();
    for (const id of ids) expect(jobs.get(id)).toMatchObject({ status: 'done', attempts: 1 });
    for (const id of ids.slice(1)) expect(jobs.get(id)?.waiting_since).not.toBeNull();
    // Exactly one card each.
    const recorded = await h.mailroom.db.kysely.selectFrom('cards').select('email_id').execute();
    for (const id of ids) expect(recorded.filter((r) => r.email_id === id)).toHaveLength(1);
  });

  it('starts the thread with a waiting reply once the first card fails for good, and the others reply in it', async () => {
    const before = h.connector.posts.length;
    const held = holdFirstThread(new MailroomError('teams_error', 'Teams refused the post (403)'));
    const root = deliver('Doomed root');
    await until(() => held.held);
    const looks = countLooks();
    deliver('Re: Doomed root 1', root.internetMessageId);
    deliver('Re: Doomed root 2', root.internetMessageId);
    await until(() => looks.size === 2 && [...looks.values()].every((n) => n >= 2));
    held.release();
    await h.settle();

    const posts = cardPosts(before);
    expect(posts.map((p) => p.op)).toEqual(['thread', 'reply']);
    expect(posts[1]?.conversationId).toBe(posts[0]?.conversationId);
    const [rootId, ...replies] = await Promise.all(
      ['Doomed root', 'Re: Doomed root 1', 'Re: Doomed root 2'].map((s) => emailId(h, s)),
    );
    const jobs = await postJobs();
    expect(jobs.get(rootId ?? '')).toMatchObject({ status: 'failed', attempts: 1, last_error_code: 'teams_error' });
    for (const id of replies) expect(jobs.get(id)).toMatchObject({ status: 'done', attempts: 1 });
    const started = lines.filter((l) => String(l.msg).includes('this card starts the thread'));
    expect(started).toEqual([expect.objectContaining({ level: 40, waitedFor: rootId })]);

    // An update of the card that never came neither waits nor fails: there is nothing to update.
    const update = await h.mailroom.queue.enqueue(updateCardJob(FIXTURE_IDS.tenantId, rootId ?? ''));
    await h.settle();
    const row = await h.mailroom.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'waiting_since'])
      .where('id', '=', update ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'done', attempts: 1, waiting_since: null });
    expect(h.connector.posts.length).toBe(before + 2);
  });

  it('does not wait for a first email that was never to get a card: the reply starts the thread at once', async () => {
    const mailboxes = h.mailroom.db.kysely.updateTable('mailboxes').where('address', '=', SUPPORT);
    const { channel_conversation_id: channel } = await h.mailroom.db.kysely
      .selectFrom('mailboxes')
      .select('channel_conversation_id')
      .where('address', '=', SUPPORT)
      .executeTakeFirstOrThrow();
    // The first email arrives while no channel gets the mailbox's cards: it is stored, with no card to come.
    await mailboxes.set({ channel_conversation_id: null }).execute();
    const root = deliver('Cardless root');
    await h.settle();
    await mailboxes.set({ channel_conversation_id: channel }).execute();
    const before = h.connector.posts.length;
    deliver('Re: Cardless root', root.internetMessageId);
    await h.settle();

    expect(cardPosts(before).map((p) => p.op)).toEqual(['thread']);
    const jobs = await postJobs();
    expect(jobs.has(await emailId(h, 'Cardless root'))).toBe(false);
    expect(jobs.get(await emailId(h, 'Re: Cardless root'))).toMatchObject({
      status: 'done',
      attempts: 1,
      waiting_since: null,
    });
  });
});
