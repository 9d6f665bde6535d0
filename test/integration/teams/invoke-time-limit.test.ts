import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { TeamsClients } from '../../helpers/teams-client.js';
import { validateCard } from '../../helpers/validate-card.js';
import { emailId, PEOPLE } from '../autopilot/kit.js';

describe("a card click that outlasts Teams' invoke time limit", () => {
  let h: Harness;
  let teams: TeamsClients;
  beforeAll(async () => {
    // A limit far below NetSuite's latency here, so the click is late however fast or loaded the machine is.
    h = await startHarness({ invokeLimitMs: 50 });
    teams = new TeamsClients(h.connector, h.send);
    await h.watch('support@contoso.com');
  });
  afterAll(async () => h?.close());

  it('answers "working on it" at once, finishes the save, then updates the card for everyone', async () => {
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Slow NetSuite day' });
    await h.settle();
    const id = await emailId(h, 'Slow NetSuite day');
    const post = h.connector.posts.find((p) => p.op === 'thread' && JSON.stringify(p.activity).includes(id));
    if (!post) throw new Error('no card was posted');
    const updatesBefore = h.connector.posts.filter((p) => p.op === 'update' && p.activityId === post.activityId).length;

    // Northwind (customer 102) is in no suggestion for Ana's email, so naming it asks NetSuite, which takes a second today.
    h.sandbox.netsuite.setLatency(1_000);
    let answer: Awaited<ReturnType<TeamsClients['click']>>;
    try {
      answer = await teams.click(PEOPLE.adele, post.activityId, 'save', { emailId: id, records: 'customer:102' });
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
    expect(answer.kind).toBe('card');
    if (answer.kind !== 'card') return;
    expect(validateCard(answer.card)).toEqual([]);
    expect(JSON.stringify(answer.card)).toContain('Working on it');

    // The save goes on in the background; its card update is a job like any other.
    await vi.waitFor(
      () => {
        const updates = h.connector.posts.filter((p) => p.op === 'update' && p.activityId === post.activityId);
        expect(updates.length).toBeGreaterThan(updatesBefore);
        expect(JSON.stringify(updates.at(-1)?.activity)).toContain('Northwind Traders');
      },
      { timeout: 20_000, interval: 100 },
    );
    await h.settle();
    const card = h.connector.cards().get(post.activityId) ?? {};
    expect(JSON.stringify(card)).toContain('Northwind Traders');
    expect(JSON.stringify(card)).not.toContain('Working on it');
    const saved = h.sandbox.netsuite.state.messages().filter((m) => m.fields.subject === 'Slow NetSuite day');
    expect(saved).toHaveLength(1);
  });
});
