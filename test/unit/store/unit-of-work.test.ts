import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autopilotHook } from '../../../bot/src/core/autopilot-apply.js';
import { ingestMessage } from '../../../bot/src/core/ingest.js';
import type { MailMessage, MailService } from '../../../bot/src/core/ports.js';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { createLogger } from '../../../bot/src/log.js';
import { EmailRepo } from '../../../bot/src/store/repos/emails.js';
import { MailboxRepo } from '../../../bot/src/store/repos/mailboxes.js';
import { RuleRepo } from '../../../bot/src/store/repos/rules.js';
import { StoreUnitOfWork } from '../../../bot/src/store/unit-of-work.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';

const log = createLogger('silent');
const ana = { name: 'Ana Bell', address: 'ana@fabrikam.com' };
const msg: MailMessage = {
  graphMessageId: 'AAMk-1',
  internetMessageId: '<CAF=abc123@mail.fabrikam.com>',
  conversationId: 'AAQkAGI2TG93AAA=',
  subject: 'Order 1042 is late',
  from: ana,
  sender: ana,
  to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
  cc: [],
  bcc: [],
  receivedAt: '2026-11-22T09:59:58Z',
  sentAt: null,
  bodyPreview: 'Hi, order 1042 has not arrived yet.',
  webLink: 'https://outlook.office365.com/owa/?ItemID=AAMk-1',
  isDraft: false,
  hasAttachments: false,
  parentFolderId: 'inbox',
};

describe.each(testEngines())('StoreUnitOfWork on %s', (engine) => {
  let db: TestDb;
  let queue: JobQueue;
  let mailboxId: string;
  let refuseCards: boolean;
  let wakes: number;
  const clock = () => new Date('2026-11-22T10:00:00.000Z');

  beforeEach(async () => {
    db = await createTestDb(engine);
    queue = new JobQueue(db, clock);
    wakes = 0;
    queue.onEnqueue(() => wakes++);
    refuseCards = false;
    const box = await new MailboxRepo(db).upsert({
      tenantId: 't1',
      address: 'support@contoso.com',
      graphUserId: 'user-support',
      displayName: 'Contoso Support',
      kind: 'shared',
      channelConversationId: '19:support@thread.tacv2',
      channelName: 'Support',
      teamId: '19:team@thread.tacv2',
      watchedBy: 'aad-adele',
      now: clock().toISOString(),
    });
    mailboxId = box.id;
  });
  afterEach(async () => db.drop());

  function ingest() {
    const uow = new StoreUnitOfWork(db, (trx, afterCommit) => {
      const sink = queue.within(trx, afterCommit);
      return {
        enqueue: async (job) => {
          if (refuseCards && job.kind === JobKind.postCard) throw new Error('the jobs table refused the insert');
          return sink.enqueue(job);
        },
      };
    });
    const deps = {
      mail: { getMessage: async () => msg } as unknown as MailService,
      mailboxes: new MailboxRepo(db),
      uow,
      clock,
      onNewEmail: autopilotHook(),
    };
    return ingestMessage(deps, { tenantId: 't1', mailboxId, messageId: msg.graphMessageId }, log);
  }

  const jobKinds = async () =>
    (await db.kysely.selectFrom('jobs').select('kind').orderBy('kind').execute()).map((r) => r.kind);

  it('rolls the email and its other jobs back when the card cannot be queued, so the retry posts the card', async () => {
    // A mailbox rule, so the email has another job besides its card: its autopilot check.
    const owner = { id: 'aad-adele', name: 'Adele Vance' };
    await new RuleRepo(db).create({
      tenantId: 't1',
      mailboxId,
      kind: 'mailbox',
      matchValue: 'support@contoso.com',
      targets: [],
      owner,
    });
    refuseCards = true;
    await expect(ingest()).rejects.toThrow('refused');
    expect(await new EmailRepo(db).copies('t1', msg.internetMessageId)).toEqual([]);
    expect(await jobKinds()).toEqual([]);
    expect(wakes).toBe(0);

    refuseCards = false;
    expect(await ingest()).toBe('card');
    expect(await new EmailRepo(db).copies('t1', msg.internetMessageId)).toHaveLength(1);
    expect(await jobKinds()).toEqual([JobKind.autopilotApply, JobKind.postCard].sort());
    expect(wakes).toBe(1);
    expect(await ingest()).toBe('duplicate');
    expect(await jobKinds()).toHaveLength(2);
  });
});
