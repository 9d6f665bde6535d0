import { activity } from './bot-framework.js';
import type { Harness } from './harness.js';

/** A card button's `Action.Execute` invoke, from the fixture user or `user`. */
export function cardClick(
  verb: string,
  data: Record<string, unknown>,
  user?: { id: string; name: string; aadObjectId: string },
) {
  return activity('cardAction', {
    id: `f:${Math.random().toString(36).slice(2)}`,
    ...(user ? { from: user } : {}),
    value: { action: { type: 'Action.Execute', verb, data } },
  });
}

/** The newest version of the card that the channel shows for an email (post or update). */
export function latestCard(h: Harness, emailId: string): Record<string, unknown> | undefined {
  const posts = [...h.connector.posts].reverse();
  for (const p of posts) {
    const card = (p.activity.attachments as Array<{ content: Record<string, unknown> }> | undefined)?.[0]?.content;
    if (card && JSON.stringify(card).includes(emailId)) return card;
  }
  return undefined;
}
