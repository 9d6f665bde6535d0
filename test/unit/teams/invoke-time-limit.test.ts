import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import type { CardActionHandler } from '../../../bot/src/teams/card-actions.js';
import type { CardJson } from '../../../bot/src/teams/cards/expand-template.js';
import { withInvokeTimeLimit } from '../../../bot/src/teams/invoke-time-limit.js';
import type { TurnInfo } from '../../../bot/src/teams/turn-info.js';
import { validateCard } from '../../helpers/validate-card.js';

const turn = { tenantId: 't1', user: { id: 'aad-ana', name: 'Ana' } } as unknown as TurnInfo;
const silent = pino({ level: 'silent' });
const emailCard: CardJson = { type: 'AdaptiveCard', version: '1.5', body: [] };

/** A handler that finishes only when the test says so: a stand-in for a slow NetSuite or database. */
function slowHandler() {
  let finish: (v: CardJson | string) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const calls: unknown[] = [];
  const handler: CardActionHandler = (_turn, _verb, data) => {
    calls.push(data);
    return new Promise((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return { handler, calls, finish: (v: CardJson | string) => finish(v), fail: (e: unknown) => fail(e) };
}

describe("Teams' invoke time limit on card clicks", () => {
  it("passes the handler's own answer through when it is in time, and queues no extra update", async () => {
    const refreshCard = vi.fn(async () => {});
    const fast: CardActionHandler = async () => emailCard;
    const limited = withInvokeTimeLimit(fast, { limitMs: 60_000, refreshCard });
    expect(await limited(turn, Verb.claim, { emailId: 'e1' }, silent)).toBe(emailCard);
    const words: CardActionHandler = async () => 'Already claimed by Bo.';
    expect(await withInvokeTimeLimit(words, { limitMs: 60_000, refreshCard })(turn, Verb.claim, {}, silent)).toBe(
      'Already claimed by Bo.',
    );
    expect(refreshCard).not.toHaveBeenCalled();
  });

  it('answers "working on it" past the limit, lets the work finish, then updates the card for everyone', async () => {
    const slow = slowHandler();
    const refreshCard = vi.fn(async () => {});
    const limited = withInvokeTimeLimit(slow.handler, { limitMs: 5, refreshCard });
    const answer = await limited(turn, Verb.save, { emailId: 'e1', records: 'customer:42' }, silent);
    expect(typeof answer).toBe('object');
    expect(validateCard(answer)).toEqual([]);
    const text = JSON.stringify(answer);
    expect(text).toContain('Working on it');
    // Refresh is the card's own verb, for this email, so a person is never stuck on this card.
    expect(text).toContain(`"verb":"${Verb.refresh}"`);
    expect(text).toContain('"emailId":"e1"');
    // The work goes on: it was started once and is not abandoned; the update waits for it.
    expect(slow.calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(refreshCard).not.toHaveBeenCalled();
    slow.finish(emailCard);
    await vi.waitFor(() => expect(refreshCard).toHaveBeenCalledWith('t1', 'e1'));
    expect(refreshCard).toHaveBeenCalledTimes(1);
  });

  it('updates the card after late work that fails too, and logs the failure once', async () => {
    const slow = slowHandler();
    const refreshCard = vi.fn(async () => {});
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    const limited = withInvokeTimeLimit(slow.handler, { limitMs: 5, refreshCard });
    await limited(turn, Verb.release, { emailId: 'e2' }, log);
    slow.fail(new Error('database went away'));
    await vi.waitFor(() => expect(refreshCard).toHaveBeenCalledWith('t1', 'e2'));
    expect(lines.filter((l) => l.includes('card action failed after its'))).toHaveLength(1);
  });

  it('without an email id (a malformed click) answers "working on it" with no button and updates nothing', async () => {
    const slow = slowHandler();
    const refreshCard = vi.fn(async () => {});
    const answer = await withInvokeTimeLimit(slow.handler, { limitMs: 5, refreshCard })(turn, Verb.claim, {}, silent);
    expect(validateCard(answer)).toEqual([]);
    expect(JSON.stringify(answer)).not.toContain('Action.Execute');
    slow.finish('This email is no longer in Mailroom.');
    await new Promise((r) => setTimeout(r, 20));
    expect(refreshCard).not.toHaveBeenCalled();
  });
});
