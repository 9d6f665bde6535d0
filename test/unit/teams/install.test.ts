import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/src/log.js';
import { ConversationRepo } from '../../../bot/src/store/repos/conversations.js';
import { onInstallChange } from '../../../bot/src/teams/install.js';
import { activity, FIXTURE_IDS } from '../../helpers/bot-framework.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

describe('installing Mailroom in a team', () => {
  let db: TestDb;
  let conversations: ConversationRepo;
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger('debug', { write: (l: string) => void lines.push(JSON.parse(l)) });
  const deps = () => ({ conversations, clock: () => new Date('2026-11-20T13:58:40Z') });
  const turn = (a: Record<string, unknown>) => new TurnContext(new TestAdapter(), a as unknown as Activity);

  beforeEach(async () => {
    db = await createTestDb('sqlite');
    conversations = new ConversationRepo(db);
    lines.length = 0;
  });
  afterEach(async () => db.drop());

  it('says "Mailroom installed" once for the two events Teams sends, and stores the reference', async () => {
    // Teams sends both, in either order, for one install.
    await onInstallChange(deps(), turn(activity('teamInstalled')), log);
    await onInstallChange(deps(), turn(activity('installationUpdate')), log);
    const info = lines.filter((l) => l.level >= 30).map((l) => l.msg);
    expect(info).toEqual(['Mailroom installed']);
    expect(await conversations.get(FIXTURE_IDS.tenantId, FIXTURE_IDS.teamId)).not.toBeNull();
  });

  it('says "Mailroom uninstalled" once for the two removal events, and drops the reference', async () => {
    await onInstallChange(deps(), turn(activity('installationUpdate')), log);
    lines.length = 0;
    await onInstallChange(deps(), turn(activity('installationUpdate', { action: 'remove' })), log);
    const removed = activity('teamInstalled', { membersAdded: [], membersRemoved: [{ id: FIXTURE_IDS.botId }] });
    await onInstallChange(deps(), turn(removed), log);
    expect(lines.filter((l) => l.level >= 30).map((l) => l.msg)).toEqual(['Mailroom uninstalled']);
    expect(await conversations.get(FIXTURE_IDS.tenantId, FIXTURE_IDS.teamId)).toBeNull();
  });
});
