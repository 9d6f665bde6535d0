import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardRepo } from '../../../bot/src/store/repos/cards.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const T0 = '2026-12-07T12:00:00.000Z';
const LATER = '2026-12-07T12:00:05.000Z';

describe.each(testEngines())('thread reservations on %s', (engine) => {
  let db: TestDb;
  let cards: CardRepo;
  beforeEach(async () => {
    db = await createTestDb(engine);
    cards = new CardRepo(db);
  });
  afterEach(async () => db.drop());

  const holder = async () => (await cards.threadState('t1', 'mb1', 'conv1'))?.rootActivityId;

  it('lets one email reserve a conversation’s thread, and one of two take over a reservation given up', async () => {
    expect(await cards.reserveThread('t1', 'mb1', 'conv1', 'root', T0)).toBe(true);
    expect(await cards.reserveThread('t1', 'mb1', 'conv1', 'reply1', T0)).toBe(false);
    // Not stale yet: its holder may still post.
    const fresh = { holderId: 'root', staleBefore: T0, now: LATER };
    expect(await cards.takeOverThread('mb1', 'conv1', 'reply1', fresh)).toBe(false);
    expect(await holder()).toBe('pending:root');
    // Given up (its post failed for good): two replies see it at once, one takes it.
    const gone = { holderId: 'root', staleBefore: LATER, now: LATER };
    const took = await Promise.all(['reply1', 'reply2'].map((id) => cards.takeOverThread('mb1', 'conv1', id, gone)));
    expect(took.filter(Boolean)).toHaveLength(1);
    const winner = took[0] ? 'reply1' : 'reply2';
    expect(await holder()).toBe(`pending:${winner}`);
    // A late taker that still names the old holder changes nothing, however stale it thinks it is.
    const late = { holderId: 'root', staleBefore: '2026-12-08T00:00:00.000Z', now: LATER };
    expect(await cards.takeOverThread('mb1', 'conv1', 'reply3', late)).toBe(false);
    expect(await holder()).toBe(`pending:${winner}`);
  });

  it('never takes over a thread that is posted', async () => {
    await cards.reserveThread('t1', 'mb1', 'conv1', 'root', T0);
    await cards.recordThread('mb1', 'conv1', 'root', { teamsConversationId: '19:x;messageid=1', activityId: '1' });
    const gone = { holderId: 'root', staleBefore: LATER, now: LATER };
    expect(await cards.takeOverThread('mb1', 'conv1', 'reply1', gone)).toBe(false);
    expect(await cards.threadState('t1', 'mb1', 'conv1')).toMatchObject({ rootActivityId: '1' });
  });
});
