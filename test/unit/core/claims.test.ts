import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimStore } from '../../../bot/src/core/claim.js';
import { ClaimService } from '../../../bot/src/core/claims.js';
import type { NewEmail } from '../../../bot/src/core/email.js';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { JobKind } from '../../../bot/src/core/job-kinds.js';
import type { UnitOfWork } from '../../../bot/src/core/ports.js';
import { JobQueue } from '../../../bot/src/jobs/queue.js';
import { AuditRepo } from '../../../bot/src/store/repos/audit.js';
import { ClaimRepo } from '../../../bot/src/store/repos/claims.js';
import { StoreUnitOfWork } from '../../../bot/src/store/unit-of-work.js';
import { createTestDb, type TestDb, testEngines } from '../../helpers/db.js';
import { email } from './fixtures.js';
import { MemoryPorts } from './memory-ports.js';

const ANA = { id: 'aad-ana', name: 'Ana' };
const BO = { id: 'aad-bo', name: 'Bo' };
const ADMIN = { id: 'aad-admin', name: 'Cy Admin' };
const clock = () => new Date('2026-11-22T10:00:00.000Z');

/** The ports a claim runs on, and what the tests read back: in memory, or a real database. */
interface Backend {
  uow: UnitOfWork;
  claims: ClaimStore;
  audit(action: 'claim' | 'release'): Promise<Array<{ actor: string; detail: Record<string, unknown> | null }>>;
  close(): Promise<void>;
}

async function memoryBackend(): Promise<Backend & { ports: MemoryPorts }> {
  const ports = new MemoryPorts(clock);
  return {
    ports,
    uow: ports,
    claims: ports.claims,
    audit: async (action) =>
      ports.state.audit
        .filter((a) => a.action === action)
        .reverse()
        .map((a) => ({ actor: a.actor.name, detail: a.detail ?? null })),
    close: async () => undefined,
  };
}

async function dbBackend(engine: 'sqlite' | 'postgres'): Promise<Backend> {
  const db: TestDb = await createTestDb(engine);
  const queue = new JobQueue(db, clock);
  const audit = new AuditRepo(db, clock);
  return {
    uow: new StoreUnitOfWork(db, (trx, afterCommit) => queue.within(trx, afterCommit), clock),
    claims: new ClaimRepo(db, clock),
    audit: async (action) =>
      (await audit.list({ tenantId: 't1', action })).entries.map((e) => ({ actor: e.actor.name, detail: e.detail })),
    close: () => db.drop(),
  };
}

/** Stores the emails `keys` names (one message each, in support@) and answers their ids by key. */
async function seed(uow: UnitOfWork, keys: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const key of keys) {
    const { id: _id, createdAt: _at, ...fields } = email({ internetMessageId: `<${key}@fabrikam.com>` });
    const stored = await uow.run((tx) => tx.emails.insertIfNew(fields satisfies NewEmail, clock().toISOString()));
    ids[key] = stored.email.id;
  }
  return ids;
}

/**
 * The claim and release commands, on in-memory ports (no database) and on each real database: the in-memory claims
 * must be as strict as the table's primary key.
 */
describe.each(['memory' as const, ...testEngines()])('claims on %s', (kind) => {
  let b: Backend;
  let service: ClaimService;
  let id: Record<string, string>;

  beforeEach(async () => {
    b = kind === 'memory' ? await memoryBackend() : await dbBackend(kind);
    service = new ClaimService({ uow: b.uow });
    id = await seed(b.uow, ['one', 'two', 'race']);
  });
  afterEach(async () => b.close());

  it('gives two claims at the same moment one winner, and tells the other who holds it', async () => {
    const [x, y] = await Promise.all([
      service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: ANA }),
      service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: BO }),
    ]);
    const outcomes = [x, y];
    const winners = outcomes.filter((o) => o.won);
    const losers = outcomes.filter((o) => !o.won);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const holder = winners[0]?.won ? winners[0].claim.userName : '';
    expect(losers[0]?.message).toBe(`Already claimed by ${holder}`);
    expect(winners[0]?.message).toBe(`Claimed by ${holder} · replying privately`);
    expect((await b.claims.get('t1', id.one ?? ''))?.userName).toBe(holder);
    expect(await b.audit('claim')).toHaveLength(1);
  });

  it('lets many people race and still keeps one owner', async () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ id: `aad-${i}`, name: `Agent ${i}` }));
    const outcomes = await Promise.all(
      people.map((user) => service.claimEmail({ tenantId: 't1', emailId: id.race ?? '', user })),
    );
    expect(outcomes.filter((o) => o.won)).toHaveLength(1);
  });

  it('refuses a second claim of one email at the store, as the primary key does', async () => {
    expect((await b.uow.run((tx) => tx.claims.tryClaim('t1', id.one ?? '', ANA))).won).toBe(true);
    const second = await b.uow.run((tx) => tx.claims.tryClaim('t1', id.one ?? '', BO));
    expect(second).toMatchObject({ won: false, holder: { userId: ANA.id } });
    await expect(b.uow.run((tx) => tx.claims.tryClaim('t2', id.one ?? '', BO))).rejects.toThrow(
      /held outside tenant t2/,
    );
  });

  it('treats a second click by the holder as the same claim', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: ANA });
    const again = await service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: ANA });
    expect(again.won).toBe(true);
    expect(await b.audit('claim')).toHaveLength(1);
  });

  it('claims no email that is not stored, and records nothing', async () => {
    await expect(service.claimEmail({ tenantId: 't1', emailId: 'made-up', user: ANA })).rejects.toMatchObject({
      code: 'not_found',
      message: 'This email is no longer in Mailroom.',
    });
    await expect(service.claimEmail({ tenantId: 't2', emailId: id.one ?? '', user: ANA })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await b.claims.listOpen('t1')).toEqual([]);
    expect(await b.audit('claim')).toEqual([]);
  });

  it('keeps the claimer’s Teams MRI, and teaches a claim stored without one only its own claimer’s', async () => {
    const [one, two] = [id.one ?? '', id.two ?? ''];
    await service.claimEmail({ tenantId: 't1', emailId: one, user: { ...ANA, mri: '29:ana' } });
    expect((await b.claims.get('t1', one))?.userMri).toBe('29:ana');

    // A claim from before Mailroom kept MRIs (the migration leaves it null).
    await service.claimEmail({ tenantId: 't1', emailId: two, user: ANA });
    expect((await b.claims.get('t1', two))?.userMri).toBeNull();
    await service.claimerSeen({ tenantId: 't1', emailId: two, user: { ...BO, mri: '29:bo' } });
    expect((await b.claims.get('t1', two))?.userMri).toBeNull();
    await service.claimerSeen({ tenantId: 't2', emailId: two, user: { ...ANA, mri: '29:ana' } });
    expect((await b.claims.get('t1', two))?.userMri).toBeNull();
    const seen = await service.claimerSeen({ tenantId: 't1', emailId: two, user: { ...ANA, mri: '29:ana' } });
    expect(seen?.userMri).toBe('29:ana');
    expect((await b.claims.get('t1', two))?.userMri).toBe('29:ana');
    // Once known, it is not overwritten.
    expect(await b.claims.rememberMri('t1', two, ANA.id, '29:other')).toBe(false);
  });

  it('refuses a release by someone else, naming the holder', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: ANA });
    const attempt = service.releaseEmail({ tenantId: 't1', emailId: id.one ?? '', user: BO, isAdmin: false });
    await expect(attempt).rejects.toBeInstanceOf(MailroomError);
    await expect(attempt).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Claimed by Ana; only Ana or a Mailroom admin can release it.',
    });
    expect((await b.claims.get('t1', id.one ?? ''))?.userId).toBe(ANA.id);
    expect(await b.audit('release')).toEqual([]);
  });

  it('lets the claimer or an admin release, and then anyone can claim again', async () => {
    const one = id.one ?? '';
    await service.claimEmail({ tenantId: 't1', emailId: one, user: ANA });
    const byAdmin = await service.releaseEmail({ tenantId: 't1', emailId: one, user: ADMIN, isAdmin: true });
    expect(byAdmin.released).toBe(true);
    expect((await service.claimEmail({ tenantId: 't1', emailId: one, user: BO })).won).toBe(true);
    expect((await service.releaseEmail({ tenantId: 't1', emailId: one, user: BO, isAdmin: false })).released).toBe(
      true,
    );
    expect(await b.claims.listOpen('t1')).toEqual([]);
    expect((await b.audit('release')).map((e) => [e.actor, e.detail?.byAdmin])).toEqual([
      ['Bo', false],
      ['Cy Admin', true],
    ]);
  });

  it('keeps tenants apart', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: id.one ?? '', user: ANA });
    expect(await b.claims.get('t2', id.one ?? '')).toBeNull();
    expect(await b.claims.listOpen('t2')).toEqual([]);
    expect(await b.claims.release('t2', id.one ?? '')).toBe(false);
    expect(await b.claims.get('t1', id.one ?? '')).not.toBeNull();
  });
});

describe('claim and release in one unit of work (in-memory ports)', () => {
  let ports: MemoryPorts;
  let service: ClaimService;
  beforeEach(() => {
    ports = new MemoryPorts(clock);
    service = new ClaimService({ uow: ports });
    // One message in two watched mailboxes (a CC to support@ and sales@): two cards to refresh.
    ports.state.emails.push(email(), email({ id: 'e-2', mailboxId: 'mbx-sales' }));
  });
  const cardJobs = () => ports.state.jobs.filter((j) => j.kind === JobKind.updateCard).map((j) => j.payload);

  it('commits the claim, its audit entry and a refresh of every copy’s card together', async () => {
    expect((await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA })).won).toBe(true);
    expect(ports.state.claims['e-1']).toMatchObject({ userId: ANA.id });
    expect(ports.state.audit.map((a) => [a.action, a.subject])).toEqual([['claim', 'e-1']]);
    expect(cardJobs()).toEqual([{ emailId: 'e-1' }, { emailId: 'e-2' }]);
  });

  it('keeps no claim when a card refresh cannot be queued, so the next click claims it', async () => {
    ports.jobs.refuse = (job) => job.kind === JobKind.updateCard;
    await expect(service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA })).rejects.toThrow(/refused/);
    expect(ports.state.claims).toEqual({});
    expect(ports.state.audit).toEqual([]);

    ports.jobs.refuse = null;
    expect((await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: BO })).won).toBe(true);
    expect(cardJobs()).toHaveLength(2);
  });

  it('keeps the claim when its release cannot refresh the cards, and releases on the next try', async () => {
    await service.claimEmail({ tenantId: 't1', emailId: 'e-1', user: ANA });
    ports.state.jobs = [];
    ports.jobs.refuse = (job) => job.kind === JobKind.updateCard;
    const release = () => service.releaseEmail({ tenantId: 't1', emailId: 'e-1', user: ANA, isAdmin: false });
    await expect(release()).rejects.toThrow(/refused/);
    expect(ports.state.claims['e-1']).toMatchObject({ userId: ANA.id });
    expect(ports.state.audit.map((a) => a.action)).toEqual(['claim']);

    ports.jobs.refuse = null;
    expect((await release()).released).toBe(true);
    expect(ports.state.claims).toEqual({});
    expect(ports.state.audit.map((a) => a.action)).toEqual(['claim', 'release']);
    expect(cardJobs()).toEqual([{ emailId: 'e-1' }, { emailId: 'e-2' }]);
  });
});
