import { randomUUID } from 'node:crypto';
import { MAILBOX, postNotification, type Rig } from './rig.js';
import { sleep, waitUntil } from './stats.js';

export interface CardTiming {
  /** From the notification POST to the Bot Connector receiving the card. */
  postMs: number;
  /** From the notification POST to the first update of that card (suggestions filled in), if any came. */
  updateMs?: number;
}

/**
 * Sends `count` new emails (each its own conversation, from `from`) one every `spacingMs`, each announced by one
 * hand-made Graph notification, and times each card's arrival at the Bot Connector. The spacing keeps the channel
 * under Teams' 60-per-30 s budget, so Mailroom's pacing adds no wait and the figure is Mailroom's own time.
 */
export async function timeCards(
  rig: Rig,
  opts: { count: number; spacingMs: number; from: string; waitForUpdate: boolean },
): Promise<{ timings: CardTiming[]; missing: number }> {
  const run = randomUUID().slice(0, 8);
  const sentAt: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const copy = rig.deliverQuietly({ to: [MAILBOX], from: opts.from, subject: `Card timing ${run}-${i}` });
    sentAt.push(Date.now());
    const status = await postNotification(rig, rig.notificationBody(copy));
    if (status !== 202) throw new Error(`notification answered ${status}`);
    await sleep(opts.spacingMs);
  }
  const threadOf = (i: number) =>
    rig.connector.posts.find((p) => p.op === 'thread' && p.text.includes(`Card timing ${run}-${i}"`));
  const updateOf = (activityId: string) =>
    rig.connector.posts.find((p) => p.op === 'update' && p.activityId === activityId);
  const all = () =>
    sentAt.every((_, i) => {
      const t = threadOf(i);
      return t !== undefined && (!opts.waitForUpdate || updateOf(t.activityId) !== undefined);
    });
  await waitUntil(all, 30_000);
  const timings: CardTiming[] = [];
  let missing = 0;
  sentAt.forEach((at, i) => {
    const t = threadOf(i);
    if (!t) {
      missing++;
      return;
    }
    const u = updateOf(t.activityId);
    timings.push({ postMs: t.at - at, ...(u ? { updateMs: u.at - at } : {}) });
  });
  return { timings, missing };
}
