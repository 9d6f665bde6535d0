import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { clickAnswer } from '../../../bot/src/teams/app.js';
import { channelCommand, type Harness, startHarness } from '../../helpers/harness.js';

/** "Also" of issue 11: when Mailroom's own answer cannot be posted, nothing internal reaches the channel. */
describe('a reply that fails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ netsuite: false });
  });
  afterAll(async () => h?.close());

  it('posts one plain notice instead, without the connector’s error text', async () => {
    // The first command also learns the team's group id from the connector; the next one asks it nothing else.
    await h.send(channelCommand('/help'));
    const before = h.connector.posts.length;
    h.connector.failNext(1, 413);
    const res = await h.send(channelCommand('/help'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body ?? '')).not.toMatch(/413|too large|stack/i);
    const posted = h.connector.posts.slice(before).map((p) => JSON.stringify(p.activity));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain('Mailroom could not post its answer here.');
    expect(posted[0]).not.toMatch(/413|status code|too large|at [A-Za-z]+ \(/i);
  });

  it('answers a failed click with plain words, never a service’s technical answer', () => {
    const technical = new MailroomError('graph_error', 'Create subscription: 403 ErrorAccessDenied (request-id 42)');
    expect(clickAnswer(technical)).toBe(
      'Microsoft Graph refused the request. Try again in a few minutes; if it keeps happening, ask your Mailroom admin to check its log.',
    );
    expect(clickAnswer(new Error('ECONNRESET 10.0.0.4:5432'))).not.toContain('ECONNRESET');
    expect(
      clickAnswer(new MailroomError('forbidden', 'Only a Mailroom admin can do that.', { remedy: 'Ask one.' })),
    ).toBe('Only a Mailroom admin can do that. Ask one.');
  });
});
