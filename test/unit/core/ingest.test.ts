import { beforeEach, describe, expect, it } from 'vitest';
import { autopilotHook } from '../../../bot/src/core/autopilot-apply.js';
import type { Mailbox } from '../../../bot/src/core/email.js';
import { type IngestDeps, ingestMessage } from '../../../bot/src/core/ingest.js';
import type { MailMessage, MailService } from '../../../bot/src/core/ports.js';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { createLogger } from '../../../bot/src/log.js';
import { MemoryPorts } from './memory-ports.js';

const log = createLogger('silent');
const INPUT = { tenantId: 't1', mailboxId: 'mbx-support', messageId: 'AAMk-1' };

function mailbox(overrides: Partial<Mailbox> = {}): Mailbox {
  return {
    id: 'mbx-support',
    tenantId: 't1',
    address: 'support@contoso.com',
    graphUserId: 'user-support',
    displayName: 'Contoso Support',
    kind: 'shared',
    channelConversationId: '19:support@thread.tacv2',
    channelName: 'Support',
    teamId: '19:team@thread.tacv2',
    teamGroupId: null,
    watchedBy: 'aad-adele',
    active: true,
    createdAt: '2026-11-01T08:00:00.000Z',
    ...overrides,
  };
}

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  const ana = { name: 'Ana Bell', address: 'Ana@Fabrikam.com' };
  return {
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
    sentAt: '2026-11-22T09:59:55Z',
    bodyPreview: 'Hi, order 1042 has not arrived yet.',
    webLink: 'https://outlook.office365.com/owa/?ItemID=AAMk-1',
    isDraft: false,
    hasAttachments: false,
    parentFolderId: 'inbox',
    ...overrides,
  };
}

describe('ingestMessage against in-memory ports', () => {
  let ports: MemoryPorts;
  let box: Mailbox;
  let msg: MailMessage | null;
  let deps: IngestDeps;

  beforeEach(() => {
    ports = new MemoryPorts();
    box = mailbox();
    msg = message();
    const mail = { getMessage: async () => msg } as unknown as MailService;
    deps = {
      mail,
      mailboxes: { byId: async (tenantId, id) => (tenantId === box.tenantId && id === box.id ? box : null) },
      uow: ports,
      clock: () => new Date('2026-11-22T10:00:00.000Z'),
      onNewEmail: autopilotHook(),
    };
  });

  const kinds = () => ports.state.jobs.map((j) => j.kind);

  /** An active rule of this kind on the support mailbox, so ingest queues autopilot checks for what it matches. */
  async function rule(kind: 'mailbox' | 'address' | 'thread', matchValue: string, tenantId = 't1') {
    ports.state.mailboxAddresses[box.id] = box.address;
    const owner = { id: 'aad-adele', name: 'Adele Vance' };
    await ports.rules.create({ tenantId, mailboxId: box.id, kind, matchValue, targets: [], owner });
  }

  describe('with a mailbox rule on', () => {
    beforeEach(() => rule('mailbox', box.address));

    it('stores a new email once and queues its card and its autopilot check', async () => {
      expect(await ingestMessage(deps, INPUT, log)).toBe('card');
      expect(ports.state.emails).toHaveLength(1);
      expect(ports.state.emails[0]?.from.address).toBe('ana@fabrikam.com');
      expect(kinds()).toEqual([JobKind.autopilotApply, JobKind.postCard]);
      expect(await ingestMessage(deps, INPUT, log)).toBe('duplicate');
      expect(ports.state.emails).toHaveLength(1);
      expect(kinds()).toEqual([JobKind.autopilotApply, JobKind.postCard]);
    });

    it('keeps no email when queueing its card fails, so the retry posts the card', async () => {
      ports.jobs.refuse = (job) => job.kind === JobKind.postCard; // the autopilot check before it went in
      await expect(ingestMessage(deps, INPUT, log)).rejects.toThrow('refused');
      expect(ports.state.emails).toEqual([]);
      expect(ports.state.jobs).toEqual([]);

      ports.jobs.refuse = null;
      expect(await ingestMessage(deps, INPUT, log)).toBe('card');
      expect(ports.state.emails).toHaveLength(1);
      expect(kinds()).toEqual([JobKind.autopilotApply, JobKind.postCard]);
    });

    it('follows a moved message to its newest Graph id and queues nothing new', async () => {
      await ingestMessage(deps, INPUT, log);
      msg = message({ graphMessageId: 'AAMk-moved' });
      expect(await ingestMessage(deps, { ...INPUT, messageId: 'AAMk-moved' }, log)).toBe('duplicate');
      expect(ports.state.emails[0]?.graphMessageId).toBe('AAMk-moved');
      expect(ports.state.jobs).toHaveLength(2);
    });

    it('stores drafts and outgoing mail without a card; only outgoing mail is checked by autopilot', async () => {
      msg = message({ isDraft: true });
      expect(await ingestMessage(deps, INPUT, log)).toBe('draft');
      msg = message({
        internetMessageId: '<out@contoso.com>',
        from: { name: 'Support', address: 'support@contoso.com' },
      });
      expect(await ingestMessage(deps, INPUT, log)).toBe('outgoing');
      expect(ports.state.emails.map((e) => [e.isDraft, e.isOutgoing])).toEqual([
        [true, false],
        [false, true],
      ]);
      expect(kinds()).toEqual([JobKind.autopilotApply]);
    });

    it('makes no card for a mailbox without a channel, and nothing at all for an unwatched or deleted one', async () => {
      box = mailbox({ channelConversationId: null });
      expect(await ingestMessage(deps, INPUT, log)).toBe('no-channel');
      expect(kinds()).toEqual([JobKind.autopilotApply]);
      box = mailbox({ active: false });
      expect(await ingestMessage(deps, { ...INPUT, messageId: 'AAMk-2' }, log)).toBe('unwatched');
      box = mailbox();
      msg = null;
      expect(await ingestMessage(deps, { ...INPUT, messageId: 'AAMk-3' }, log)).toBe('gone');
      expect(ports.state.emails).toHaveLength(1);
    });
  });

  it('queues no autopilot check for mail that no active rule could match', async () => {
    await rule('address', 'someone@else.example');
    await rule('mailbox', box.address, 't2'); // another tenant's rule on a mailbox of the same id
    expect(await ingestMessage(deps, INPUT, log)).toBe('card');
    expect(kinds()).toEqual([JobKind.postCard]);
  });

  it('queues the check for mail that a sender or thread rule matches', async () => {
    await rule('address', 'ana@fabrikam.com');
    expect(await ingestMessage(deps, INPUT, log)).toBe('card');
    expect(kinds()).toEqual([JobKind.autopilotApply, JobKind.postCard]);
    msg = message({ internetMessageId: '<other@fabrikam.com>', from: { name: 'Bo', address: 'bo@fabrikam.com' } });
    await rule('thread', msg.conversationId);
    expect(await ingestMessage(deps, { ...INPUT, messageId: 'AAMk-2' }, log)).toBe('card');
    expect(kinds()).toEqual([JobKind.autopilotApply, JobKind.postCard, JobKind.autopilotApply, JobKind.postCard]);
  });
});
