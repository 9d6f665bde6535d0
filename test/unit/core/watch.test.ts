import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import type { MailService } from '../../../bot/src/core/ports.js';
import { watchMailbox } from '../../../bot/src/core/watch.js';
import { createLogger } from '../../../bot/src/log.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

describe.each(testEngines())('watchMailbox on %s', (engine) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(engine);
  });
  afterEach(async () => db.drop());

  it('leaves a mailbox unwatched when Graph refuses its subscription, so nothing claims to watch it', async () => {
    const mail = {
      findUser: async () => ({ id: 'user-sales', displayName: 'Sales', mail: 'sales@contoso.com' }),
      getMailboxPurpose: async () => 'shared',
      createSubscription: async () => {
        throw new MailroomError('graph_access_denied', 'Create subscription: 403 ErrorAccessDenied', {
          remedy: 'Add the mailbox to the management scope.',
        });
      },
    } as unknown as MailService;
    const mailboxes = new MailboxRepo(db);
    const authority = { isGlobalAdmin: async (id: string) => id === 'aad-adele' };
    const deps = { mail, mailboxes, clock: () => new Date(), publicUrl: 'https://mailroom.example', authority };
    const input = {
      tenantId: 't1',
      address: 'sales@contoso.com',
      channel: { conversationId: '19:sales@thread.tacv2', name: 'Sales', teamId: '19:team@thread.tacv2' },
      actor: { id: 'aad-adele', name: 'Adele Vance' },
    };
    await expect(watchMailbox(deps, input, createLogger('silent'))).rejects.toMatchObject({
      code: 'graph_access_denied',
    });
    expect((await mailboxes.byAddress('t1', 'sales@contoso.com'))?.active).toBe(false);
    expect(await mailboxes.listActive('t1')).toEqual([]);
  });
});
