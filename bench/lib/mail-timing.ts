import { randomBytes } from 'node:crypto';
import { postNotification, type Rig } from './rig.js';
import { token } from './services-protocol.js';
import { sleep } from './stats.js';

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
  const run = randomBytes(4).toString('hex');
  const tokens = Array.from({ length: opts.count }, (_, i) => token(run, i));
  const bodies = await rig.services.deliver(tokens.map((t) => ({ subject: `Card timing ${t}`, from: opts.from })));
  const sentAt: number[] = [];
  for (const body of bodies) {
    sentAt.push(Date.now());
    const status = await postNotification(rig, body);
    if (status !== 202) throw new Error(`notification answered ${status}`);
    await sleep(opts.spacingMs);
  }
  const cards = await rig.services.cards(tokens, { waitForUpdate: opts.waitForUpdate, timeoutMs: 30_000 });
  const timings: CardTiming[] = [];
  let missing = 0;
  cards.forEach((c, i) => {
    const at = sentAt[i] ?? 0;
    if (c.postedAt === undefined) {
      missing++;
      return;
    }
    timings.push({ postMs: c.postedAt - at, ...(c.updatedAt !== undefined ? { updateMs: c.updatedAt - at } : {}) });
  });
  return { timings, missing };
}
