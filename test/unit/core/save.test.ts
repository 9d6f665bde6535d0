import { beforeEach, describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import type { MailService, RecordRef, RecordService, SaveEmailInput } from '../../../bot/src/core/ports.js';
import {
  requestSaves,
  requestTeamsMessageSaves,
  retrySave,
  runSave,
  type SaveDeps,
} from '../../../bot/src/core/save.js';
import { JobKind } from '../../../bot/src/jobs/kinds.js';
import { createLogger } from '../../../bot/src/log.js';
import { email } from './fixtures.js';
import { MemoryPorts } from './memory-ports.js';

const log = createLogger('silent');
const ANA = { id: 'aad-ana', name: 'Ana' };
const ACME: RecordRef = { type: 'customer', id: '42', name: 'Acme' };
const CASE: RecordRef = { type: 'supportcase', id: '7', name: 'Case 7' };

describe('save commands against in-memory ports', () => {
  let ports: MemoryPorts;
  let deps: SaveDeps;
  let saves: SaveEmailInput[];
  let netsuite: () => Promise<void>;
  /** The outcome NetSuite gives each file sent, by name. */
  let fileOutcome: (name: string) => 'saved' | 'failed';

  beforeEach(() => {
    ports = new MemoryPorts();
    ports.state.emails.push(email(), email({ id: 'e-2', mailboxId: 'mbx-sales' }));
    saves = [];
    netsuite = async () => undefined;
    fileOutcome = () => 'saved';
    const records = {
      configured: true,
      saveEmail: async (input: SaveEmailInput) => {
        saves.push(input);
        await netsuite();
        const attachments = input.attachments.map((f) => {
          const status = fileOutcome(f.name);
          return status === 'failed'
            ? { name: f.name, status, reason: 'File Cabinet said no' }
            : { name: f.name, status };
        });
        return { netsuiteMessageId: 'm-1', created: saves.length === 1, attachments };
      },
    } as unknown as RecordService;
    const file = (name: string) => ({ id: name, name, contentType: 'application/pdf', size: 3, contentBytes: 'YWJj' });
    const mail = {
      getMessage: async () => ({ hasAttachments: true, bcc: [], body: { contentType: 'text', content: 'Hi' } }),
      listAttachments: async () => [file('invoice.pdf'), file('photo.jpg'), file('terms.pdf')],
    } as unknown as MailService;
    deps = {
      emails: ports.emails,
      mailboxes: {
        byId: async (tenantId, id) => ({
          id,
          tenantId,
          address: 'support@contoso.com',
          graphUserId: 'user-support',
          displayName: 'Support',
          kind: 'shared',
          channelConversationId: null,
          channelName: null,
          teamId: null,
          teamGroupId: null,
          watchedBy: 'aad-adele',
          active: true,
          createdAt: '2026-11-01T00:00:00Z',
        }),
      },
      associations: ports.associations,
      teamsMessages: ports.teamsMessages,
      jobs: ports.jobs,
      uow: ports,
      mail,
      records,
      clock: () => new Date('2026-11-22T10:00:00.000Z'),
    };
  });

  const request = (records: RecordRef[]) =>
    requestSaves(deps, { tenantId: 't1', emailId: 'e-1', records, actor: ANA, mode: 'one-time' }, log);
  const kinds = () => ports.state.jobs.map((j) => j.kind);

  it('queues one save per record, once, and refreshes every copy of the card', async () => {
    const first = await request([ACME, CASE]);
    expect(first.queued.map((a) => a.record.id)).toEqual(['42', '7']);
    const again = await request([ACME]);
    expect(again).toMatchObject({ queued: [], existing: [{ record: ACME }] });
    expect(ports.state.associations).toHaveLength(2);
    expect(kinds().sort()).toEqual([JobKind.save, JobKind.save, JobKind.updateCard, JobKind.updateCard].sort());
  });

  it('keeps no claimed save when its job cannot be queued, so asking again queues it', async () => {
    ports.jobs.refuse = (job) => job.kind === JobKind.updateCard;
    await expect(request([ACME, CASE])).rejects.toThrow('refused');
    expect(ports.state.associations).toEqual([]);
    expect(ports.state.jobs).toEqual([]);
    ports.jobs.refuse = null;
    expect((await request([ACME, CASE])).queued).toHaveLength(2);
  });

  it('a save job records the outcome, the audit entry, the category and the card refresh together', async () => {
    const [a] = (await request([ACME])).queued;
    ports.state.jobs = [];
    await runSave(deps, 't1', a?.id ?? '', log);
    expect(ports.state.associations[0]).toMatchObject({ status: 'saved', netsuiteMessageId: 'm-1' });
    expect(ports.state.audit).toMatchObject([{ action: 'save', actor: ANA, subject: 'e-1' }]);
    expect(kinds().sort()).toEqual([JobKind.category, JobKind.updateCard, JobKind.updateCard].sort());
    expect(saves[0]?.externalId).toBe(a?.externalId);
    // A second delivery of the same job finds it done and asks NetSuite nothing.
    await runSave(deps, 't1', a?.id ?? '', log);
    expect(saves).toHaveLength(1);
  });

  it('a save NetSuite refuses is failed with its reason, and a retry runs it once more', async () => {
    const [a] = (await request([ACME])).queued;
    const id = a?.id ?? '';
    netsuite = async () => {
      throw new MailroomError('netsuite_validation', 'NetSuite create message failed (400 USER_ERROR): Bad entity.');
    };
    await expect(runSave(deps, 't1', id, log)).rejects.toMatchObject({ code: 'netsuite_validation' });
    expect(ports.state.associations[0]).toMatchObject({ status: 'failed', errorCode: 'netsuite_validation' });
    expect(ports.state.audit).toEqual([]);

    ports.state.jobs = [];
    netsuite = async () => undefined;
    expect(await retrySave(deps, 't1', id)).toBe(true);
    expect(await retrySave(deps, 't1', id)).toBe(false);
    expect(kinds().filter((k) => k === JobKind.save)).toHaveLength(1);
    await runSave(deps, 't1', id, log);
    expect(ports.state.associations[0]?.status).toBe('saved');
    expect(saves).toHaveLength(2);
  });

  it('a partial save can be retried exactly once, onto the same NetSuite message, keeping each file in its place', async () => {
    const [a] = (await request([ACME])).queued;
    const id = a?.id ?? '';
    fileOutcome = (name) => (name === 'photo.jpg' ? 'failed' : 'saved');
    await runSave(deps, 't1', id, log);
    expect(ports.state.associations[0]?.status).toBe('partial');

    ports.state.jobs = [];
    const clicks = await Promise.all([retrySave(deps, 't1', id), retrySave(deps, 't1', id)]);
    expect(clicks.sort()).toEqual([false, true]);
    expect(kinds().filter((k) => k === JobKind.save)).toHaveLength(1);

    fileOutcome = () => 'saved';
    await runSave(deps, 't1', id, log);
    expect(saves.map((s) => s.attachments.map((f) => f.name))).toEqual([
      ['invoice.pdf', 'photo.jpg', 'terms.pdf'],
      ['invoice.pdf', 'photo.jpg', 'terms.pdf'],
    ]);
    expect(saves.map((s) => s.externalId)).toEqual([a?.externalId, a?.externalId]);
    expect(ports.state.associations[0]).toMatchObject({
      status: 'saved',
      netsuiteMessageId: 'm-1',
      attachments: [
        { name: 'invoice.pdf', status: 'saved' },
        { name: 'photo.jpg', status: 'saved' },
        { name: 'terms.pdf', status: 'saved' },
      ],
    });
    expect(await retrySave(deps, 't1', id)).toBe(false);
  });

  it('a partial save whose only missing file was too large offers no retry', async () => {
    const [a] = (await request([ACME])).queued;
    await runSave(deps, 't1', a?.id ?? '', log);
    const row = ports.state.associations[0];
    if (!row) throw new Error('no save row');
    row.status = 'partial';
    row.attachments = [{ name: 'huge.zip', status: 'skipped_too_large', reason: 'over 10 MB' }];
    expect(await retrySave(deps, 't1', row.id)).toBe(false);
    expect(row.status).toBe('partial');
  });

  it('a Teams message is kept once, saved once per record by its job, audited, and marks no Outlook copy', async () => {
    const message = {
      tenantId: 't1',
      key: 'teams:19:abc@thread.tacv2:1763648123456',
      teamId: '19:team@thread.tacv2',
      subject: 'Teams message from Megan: the crate left',
      author: { name: 'Megan', address: 'megan@contoso.com' },
      bodyHtml: '<p>the crate left</p>',
      postedAt: '2026-11-22T09:00:00.000Z',
      webLink: null,
    };
    const first = await requestTeamsMessageSaves(deps, { tenantId: 't1', message, records: [ACME], actor: ANA }, log);
    const again = await requestTeamsMessageSaves(deps, { tenantId: 't1', message, records: [ACME], actor: ANA }, log);
    expect(again).toMatchObject({ queued: [], existing: [{ record: ACME }] });
    expect(ports.state.teamsMessages).toHaveLength(1);
    expect(kinds()).toEqual([JobKind.save]);
    const id = first.queued[0]?.id ?? '';
    await runSave(deps, 't1', id, log);
    expect(saves).toEqual([
      expect.objectContaining({
        subject: message.subject,
        bodyHtml: message.bodyHtml,
        author: message.author,
        incoming: false,
      }),
    ]);
    expect(saves[0]?.externalId).toBe(first.queued[0]?.externalId);
    expect(ports.state.associations[0]).toMatchObject({ status: 'saved', netsuiteMessageId: 'm-1' });
    expect(ports.state.audit).toEqual([
      expect.objectContaining({ action: 'save', subject: ports.state.teamsMessages[0]?.id, actor: ANA }),
    ]);
    expect(kinds()).not.toContain(JobKind.category);
  });
});
