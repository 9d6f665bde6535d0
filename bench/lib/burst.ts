import { randomBytes } from 'node:crypto';
import { postNotification, type Rig } from './rig.js';
import { type MailSpec, token } from './services-protocol.js';

export interface BurstResult {
  count: number;
  perSecond: number;
  /** From the first notification to the last card. */
  lastMs: number;
  /** Notification → card of each email, ms. */
  cardMs: number[];
  missing: number;
}

/**
 * `threads` new conversations, plus `replies` replies in each of the first `repliesIn` of them, stored in Graph
 * first and then announced all at once, 20 requests at a time; resolves when every email's card (thread or
 * reply) reached the connector.
 */
export async function burst(
  rig: Rig,
  opts: { threads: number; repliesIn: number; replies: number },
): Promise<BurstResult> {
  const run = randomBytes(4).toString('hex');
  const mails: MailSpec[] = [];
  for (let i = 0; i < opts.threads; i++) {
    const root = token(run, i);
    mails.push({ subject: `Burst ${root}`, from: 'li@northwind.example' });
    for (let j = 0; i < opts.repliesIn && j < opts.replies; j++) {
      mails.push({ subject: `Re: Burst ${token(run, i, j)}`, from: 'li@northwind.example', replyTo: root });
    }
  }
  const bodies = await rig.services.deliver(mails);
  const sentAt: number[] = [];
  const t0 = Date.now();
  for (let i = 0; i < bodies.length; i += 20) {
    const at = Date.now();
    const statuses = await Promise.all(bodies.slice(i, i + 20).map((b) => postNotification(rig, b)));
    for (const _ of statuses) sentAt.push(at);
    if (statuses.some((s) => s !== 202)) throw new Error(`a notification answered ${statuses.join(',')}`);
  }
  const tokens = mails.map((m) => m.subject.split(' ').at(-1) ?? '');
  const cards = await rig.services.cards(tokens, { timeoutMs: 120_000 });
  const times = cards.flatMap((c) => (c.postedAt === undefined ? [] : [c.postedAt]));
  const cardMs = cards.flatMap((c, i) => (c.postedAt === undefined ? [] : [c.postedAt - (sentAt[i] ?? t0)]));
  const lastMs = Math.max(1, ...times.map((t) => t - t0));
  return {
    count: mails.length,
    perSecond: (times.length * 1000) / lastMs,
    lastMs,
    cardMs,
    missing: mails.length - times.length,
  };
}
