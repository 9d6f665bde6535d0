import { randomUUID } from 'node:crypto';
import type { DeliveredCopy } from '../../bot/src/sandbox/graph-emulator/index.js';
import { MAILBOX, postNotification, type Rig } from './rig.js';
import { waitUntil } from './stats.js';

export interface BurstResult {
  count: number;
  perSecond: number;
  /** From the first notification to the last card. */
  lastMs: number;
  missing: number;
}

/**
 * `threads` new conversations, plus `replies` replies in each of the first `repliesIn` of them, stored in Graph
 * first and then announced all at once; resolves when every email's card (thread or reply) reached the connector.
 */
export async function burst(
  rig: Rig,
  opts: { threads: number; repliesIn: number; replies: number },
): Promise<BurstResult> {
  const run = randomUUID().slice(0, 8);
  const copies: Array<{ copy: DeliveredCopy; marker: string }> = [];
  for (let i = 0; i < opts.threads; i++) {
    const marker = `Burst ${run}-${i}`;
    const root = rig.deliverQuietly({ to: [MAILBOX], from: 'li@northwind.example', subject: marker });
    copies.push({ copy: root, marker });
    for (let j = 0; i < opts.repliesIn && j < opts.replies; j++) {
      const m = `Re: Burst ${run}-${i} r${j}`;
      const reply = rig.deliverQuietly({
        to: [MAILBOX],
        from: 'li@northwind.example',
        subject: m,
        inReplyTo: root.internetMessageId,
      });
      copies.push({ copy: reply, marker: m });
    }
  }
  const bodies = copies.map((c) => rig.notificationBody(c.copy));
  const t0 = Date.now();
  for (let i = 0; i < bodies.length; i += 20) {
    const statuses = await Promise.all(bodies.slice(i, i + 20).map((b) => postNotification(rig, b)));
    if (statuses.some((s) => s !== 202)) throw new Error(`a notification answered ${statuses.join(',')}`);
  }
  const cardOf = (marker: string) =>
    rig.connector.posts.find((p) => p.op !== 'update' && p.text.includes(`${marker}"`));
  await waitUntil(() => copies.every((c) => cardOf(c.marker) !== undefined), 120_000);
  const times = copies.flatMap((c) => {
    const p = cardOf(c.marker);
    return p ? [p.at] : [];
  });
  const lastMs = Math.max(1, ...times.map((t) => t - t0));
  return {
    count: copies.length,
    perSecond: (times.length * 1000) / lastMs,
    lastMs,
    missing: copies.length - times.length,
  };
}
