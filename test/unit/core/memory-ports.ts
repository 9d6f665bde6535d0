import type { Association, AssociationStore } from '../../../bot/src/core/associations.js';
import type { Actor, AuditInput, AuditSink } from '../../../bot/src/core/audit.js';
import {
  type AutopilotRule,
  type MatchableEmail,
  matchRules,
  type NewRule,
  type RuleKind,
  type RuleStore,
} from '../../../bot/src/core/autopilot-rules.js';
import type { Claim, Claimer, ClaimStore, TryClaimResult } from '../../../bot/src/core/claim.js';
import type { Email, Mailbox, NewEmail } from '../../../bot/src/core/email.js';
import type {
  ConversationRow,
  ConversationStore,
  EmailStore,
  JobRequest,
  JobSink,
  MailboxGuard,
  MailboxStore,
  RecordSuggestion,
  SubscriptionRow,
  UnitOfWork,
  WorkPorts,
} from '../../../bot/src/core/ports.js';
import type { NewTeamsMessage, TeamsMessage, TeamsMessageStore } from '../../../bot/src/core/teams-message.js';

/** Everything the in-memory ports hold. A unit of work copies it first and puts the copy back if the work throws. */
export interface MemoryState {
  emails: Email[];
  jobs: Array<JobRequest & { id: string }>;
  suggestions: Record<string, RecordSuggestion[] | 'failed'>;
  associations: Association[];
  /** Keyed by email id alone, as the table's primary key is: one claim per email, whatever the tenant. */
  claims: Record<string, Claim>;
  rules: AutopilotRule[];
  /** Watched mailboxes' addresses by id, which a rule is read with (the table joins them). */
  mailboxAddresses: Record<string, string>;
  mailboxes: Mailbox[];
  conversations: ConversationRow[];
  subscriptions: Array<SubscriptionRow & { renewedAt: string | null }>;
  audit: AuditInput[];
  teamsMessages: TeamsMessage[];
}

class MemoryTeamsMessages implements TeamsMessageStore {
  constructor(private readonly state: () => MemoryState) {}

  async keep(m: NewTeamsMessage): Promise<TeamsMessage> {
    const list = this.state().teamsMessages;
    const found = list.find((t) => t.tenantId === m.tenantId && t.key === m.key);
    if (found) return structuredClone(found);
    const kept = { ...structuredClone(m), id: `tm-${list.length + 1}` };
    list.push(kept);
    return structuredClone(kept);
  }

  async byId(tenantId: string, id: string): Promise<TeamsMessage | null> {
    const found = this.state().teamsMessages.find((t) => t.tenantId === tenantId && t.id === id);
    return found ? structuredClone(found) : null;
  }
}

class MemoryEmails implements EmailStore {
  constructor(private readonly state: () => MemoryState) {}

  async insertIfNew(e: NewEmail, now: string) {
    const found = this.state().emails.find(
      (x) => x.mailboxId === e.mailboxId && x.internetMessageId === e.internetMessageId,
    );
    if (found) return { email: { ...found }, isNew: false };
    const email: Email = {
      ...e,
      from: { ...e.from, address: e.from.address.toLowerCase() },
      id: `e-${this.state().emails.length + 1}`,
      createdAt: now,
    };
    this.state().emails.push(email);
    return { email: { ...email }, isNew: true };
  }

  async byId(tenantId: string, id: string) {
    const e = this.state().emails.find((x) => x.tenantId === tenantId && x.id === id);
    return e ? { ...e } : null;
  }

  async copies(tenantId: string, internetMessageId: string) {
    return this.state().emails.filter((x) => x.tenantId === tenantId && x.internetMessageId === internetMessageId);
  }

  /** Every stored email counts as carded here; the narrowing is left to the caller's exact match. */
  async withCards(tenantId: string, mailboxId: string, _narrow: unknown, limit: number) {
    return this.state()
      .emails.filter((x) => x.tenantId === tenantId && x.mailboxId === mailboxId)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .slice(0, limit);
  }

  async updateGraphId(tenantId: string, id: string, graphMessageId: string) {
    const e = this.state().emails.find((x) => x.tenantId === tenantId && x.id === id);
    if (e) e.graphMessageId = graphMessageId;
  }

  async suggestions(tenantId: string, id: string) {
    return this.state().suggestions[`${tenantId}/${id}`] ?? null;
  }

  async setSuggestions(tenantId: string, id: string, items: RecordSuggestion[] | 'failed') {
    this.state().suggestions[`${tenantId}/${id}`] = items;
  }

  async setAutopilotNote(tenantId: string, id: string, note: string | null) {
    const e = this.state().emails.find((x) => x.tenantId === tenantId && x.id === id);
    if (!e) return;
    if (note === null) delete e.autopilotNote;
    else e.autopilotNote = note;
  }
}

type NewAssociation = Parameters<AssociationStore['insertIfNew']>[0];

/** Saves keyed as the table is: one per (tenant, internetMessageId, record). */
class MemoryAssociations implements AssociationStore {
  constructor(private readonly state: () => MemoryState) {}

  private find(tenantId: string, id: string) {
    return this.state().associations.find((a) => a.tenantId === tenantId && a.id === id);
  }

  async insertIfNew(input: NewAssociation) {
    const same = this.state().associations.find(
      (a) =>
        a.tenantId === input.tenantId &&
        a.internetMessageId === input.internetMessageId &&
        a.record.type === input.record.type &&
        a.record.id === input.record.id,
    );
    if (same) return { association: structuredClone(same), created: false };
    const { now, ...rest } = input;
    const association: Association = {
      ...rest,
      id: `a-${this.state().associations.length + 1}`,
      status: 'pending',
      netsuiteMessageId: null,
      errorCode: null,
      errorMessage: null,
      attachments: [],
      createdAt: now,
      updatedAt: now,
    };
    this.state().associations.push(association);
    return { association: structuredClone(association), created: true };
  }

  async byId(tenantId: string, id: string) {
    const a = this.find(tenantId, id);
    return a ? structuredClone(a) : null;
  }

  async forMessage(tenantId: string, internetMessageId: string) {
    return structuredClone(
      this.state().associations.filter((a) => a.tenantId === tenantId && a.internetMessageId === internetMessageId),
    );
  }

  async markSaved(tenantId: string, id: string, out: Parameters<AssociationStore['markSaved']>[2]) {
    const a = this.find(tenantId, id);
    if (!a) return;
    a.status = out.attachments.some((f) => f.status !== 'saved') ? 'partial' : 'saved';
    a.netsuiteMessageId = out.netsuiteMessageId;
    a.attachments = out.attachments;
    a.errorCode = null;
    a.errorMessage = null;
    a.updatedAt = out.now;
  }

  async markFailed(tenantId: string, id: string, err: { code: string; message: string; now: string }) {
    const a = this.find(tenantId, id);
    if (!a) return;
    Object.assign(a, { status: 'failed', errorCode: err.code, errorMessage: err.message, updatedAt: err.now });
  }

  async begin(tenantId: string, id: string, now: string, staleMs: number) {
    const a = this.find(tenantId, id);
    const stale = a?.status === 'saving' && Date.parse(a.updatedAt) < Date.parse(now) - staleMs;
    if (!a || !(a.status === 'pending' || a.status === 'failed' || stale)) return null;
    Object.assign(a, { status: 'saving', updatedAt: now });
    return structuredClone(a);
  }

  async reopen(tenantId: string, id: string, now: string) {
    const a = this.find(tenantId, id);
    if (a?.status !== 'failed' && a?.status !== 'partial') return false;
    Object.assign(a, { status: 'pending', errorCode: null, errorMessage: null, updatedAt: now });
    return true;
  }
}

/** Claims as the table keeps them: the primary key on the email id lets the first claim in and no other. */
class MemoryClaims implements ClaimStore {
  constructor(
    private readonly state: () => MemoryState,
    private readonly clock: () => Date,
  ) {}

  async tryClaim(tenantId: string, emailId: string, user: Claimer): Promise<TryClaimResult> {
    const held = this.state().claims[emailId];
    if (held && held.tenantId !== tenantId) {
      throw new Error(`claim of email ${emailId} is held outside tenant ${tenantId}`);
    }
    if (held) return { won: false, holder: { ...held } };
    const claim: Claim = {
      tenantId,
      emailId,
      userId: user.id,
      userName: user.name,
      claimedAt: this.clock().toISOString(),
      userMri: user.mri ?? null,
    };
    this.state().claims[emailId] = claim;
    return { won: true, claim: { ...claim } };
  }

  async rememberMri(tenantId: string, emailId: string, userId: string, mri: string) {
    const c = this.state().claims[emailId];
    if (c?.tenantId !== tenantId || c.userId !== userId || c.userMri !== null) return false;
    c.userMri = mri;
    return true;
  }

  async release(tenantId: string, emailId: string) {
    if (this.state().claims[emailId]?.tenantId !== tenantId) return false;
    delete this.state().claims[emailId];
    return true;
  }

  async get(tenantId: string, emailId: string) {
    const c = this.state().claims[emailId];
    return c?.tenantId === tenantId ? { ...c } : null;
  }

  async listOpen(tenantId: string) {
    return Object.values(this.state().claims)
      .filter((c) => c.tenantId === tenantId)
      .map((c) => ({ ...c }));
  }
}

/** Autopilot rules, each read with its mailbox's address; a rule of an unknown mailbox cannot be stored. */
class MemoryRules implements RuleStore {
  constructor(
    private readonly state: () => MemoryState,
    private readonly clock: () => Date,
  ) {}

  async create(rule: NewRule): Promise<AutopilotRule> {
    const mailboxAddress = this.state().mailboxAddresses[rule.mailboxId];
    if (mailboxAddress === undefined) throw new Error(`no mailbox ${rule.mailboxId} for the rule`);
    const created: AutopilotRule = {
      id: `r-${this.state().rules.length + 1}`,
      tenantId: rule.tenantId,
      mailboxId: rule.mailboxId,
      mailboxAddress,
      kind: rule.kind,
      matchValue: rule.matchValue,
      targets: structuredClone(rule.targets),
      ownerId: rule.owner.id,
      ownerName: rule.owner.name,
      createdAt: this.clock().toISOString(),
      active: true,
      turnedOffBy: null,
      turnedOffAt: null,
    };
    this.state().rules.push(created);
    return structuredClone(created);
  }

  async get(tenantId: string, id: string) {
    const r = this.state().rules.find((x) => x.tenantId === tenantId && x.id === id);
    return r ? structuredClone(r) : null;
  }

  async findActive(tenantId: string, mailboxId: string, kind: RuleKind, matchValue: string) {
    const r = this.state().rules.find(
      (x) =>
        x.tenantId === tenantId &&
        x.mailboxId === mailboxId &&
        x.active &&
        x.kind === kind &&
        x.matchValue === matchValue,
    );
    return r ? structuredClone(r) : null;
  }

  async findMatching(tenantId: string, email: MatchableEmail) {
    return this.state()
      .rules.filter((r) => r.tenantId === tenantId && matchRules(email, [r]) !== null)
      .map((r) => structuredClone(r));
  }

  async turnOff(tenantId: string, id: string, by: Actor) {
    const r = this.state().rules.find((x) => x.tenantId === tenantId && x.id === id && x.active);
    if (!r) return false;
    Object.assign(r, { active: false, turnedOffBy: by.name, turnedOffAt: this.clock().toISOString() });
    return true;
  }
}

type MailboxInput = Parameters<MailboxStore['upsert']>[0];

/** Mailboxes keyed as the table is, one per (tenant, address), and their subscriptions by Graph's id. */
class MemoryMailboxes implements MailboxStore {
  constructor(private readonly state: () => MemoryState) {}

  async upsert(input: MailboxInput, guard?: MailboxGuard): Promise<Mailbox> {
    const { now, ...fields } = input;
    const address = input.address.toLowerCase();
    const list = this.state().mailboxes;
    let found = list.find((m) => m.tenantId === input.tenantId && m.address === address);
    // As the table's guarded upsert: an active row bound to a channel the caller did not name is left as it is, and
    // so is an inactive one the caller saw active.
    const movable = [input.channelConversationId, ...(guard?.movableFrom ?? [])];
    const bound = found !== undefined && movable.includes(found.channelConversationId);
    if (found && guard && (guard.seenActive ? !(found.active && bound) : found.active && !bound)) return { ...found };
    if (!found) {
      found = { ...fields, address, id: `mbx-${list.length + 1}`, teamGroupId: null, active: true, createdAt: now };
      list.push(found);
    }
    // A watch where Teams named no group keeps the one learned before, if the team is the same.
    const teamGroupId = input.teamGroupId || (found.teamId === input.teamId ? found.teamGroupId : null);
    Object.assign(found, { ...fields, address, teamGroupId, active: true });
    this.state().mailboxAddresses[found.id] = address;
    return { ...found };
  }

  async byAddress(tenantId: string, address: string) {
    const m = this.state().mailboxes.find((x) => x.tenantId === tenantId && x.address === address.toLowerCase());
    return m ? { ...m } : null;
  }

  async byId(tenantId: string, id: string) {
    const m = this.state().mailboxes.find((x) => x.tenantId === tenantId && x.id === id);
    return m ? { ...m } : null;
  }

  async listActive(tenantId?: string) {
    return this.state()
      .mailboxes.filter((m) => m.active && (tenantId === undefined || m.tenantId === tenantId))
      .map((m) => ({ ...m }));
  }

  async deactivate(tenantId: string, id: string) {
    const m = this.state().mailboxes.find((x) => x.tenantId === tenantId && x.id === id);
    if (m) m.active = false;
  }

  async saveSubscription(row: SubscriptionRow & { now: string }) {
    const { now, ...fields } = row;
    const list = this.state().subscriptions;
    const found = list.find((s) => s.id === row.id);
    if (found) Object.assign(found, { expiresAt: row.expiresAt, status: row.status, renewedAt: now });
    else list.push({ ...fields, renewedAt: null });
  }

  async subscription(id: string) {
    const s = this.state().subscriptions.find((x) => x.id === id);
    return s ? row(s) : null;
  }

  async subscriptionsFor(tenantId: string, mailboxId: string) {
    return this.state()
      .subscriptions.filter((s) => s.tenantId === tenantId && s.mailboxId === mailboxId && s.status === 'active')
      .map(row);
  }

  async updateSubscription(id: string, set: { expiresAt?: string; status?: 'active' | 'removed'; now: string }) {
    const s = this.state().subscriptions.find((x) => x.id === id);
    if (!s) return;
    if (set.expiresAt !== undefined) s.expiresAt = set.expiresAt;
    if (set.status !== undefined) s.status = set.status;
    s.renewedAt = set.now;
  }
}

function row(s: SubscriptionRow & { renewedAt: string | null }): SubscriptionRow {
  const { renewedAt: _, ...rest } = s;
  return { ...rest };
}

/** The audit log; like the jobs, it can be told to refuse a write. */
class MemoryAudit implements AuditSink {
  refuse: ((input: AuditInput) => boolean) | null = null;

  constructor(private readonly state: () => MemoryState) {}

  async record(input: AuditInput) {
    if (this.refuse?.(input)) throw new Error('the audit table refused the insert');
    this.state().audit.push(structuredClone(input));
  }
}

/** Jobs as the queue keeps them: a dedupe key that is waiting makes a second enqueue a no-op. */
class MemoryJobs implements JobSink {
  /** Which enqueues fail, as a database that refuses the insert would. */
  refuse: ((job: JobRequest) => boolean) | null = null;

  constructor(private readonly state: () => MemoryState) {}

  async enqueue(job: JobRequest) {
    if (this.refuse?.(job)) throw new Error('the jobs table refused the insert');
    if (job.dedupeKey && this.state().jobs.some((j) => j.dedupeKey === job.dedupeKey)) return null;
    const id = `job-${this.state().jobs.length + 1}`;
    this.state().jobs.push({ ...job, id });
    return id;
  }
}

/**
 * core's ports in memory, with a unit of work that is all-or-nothing like a database transaction and, like
 * SQLite's one connection, runs one unit at a time.
 */
export class MemoryPorts implements UnitOfWork {
  state: MemoryState = {
    emails: [],
    jobs: [],
    suggestions: {},
    associations: [],
    claims: {},
    rules: [],
    mailboxAddresses: {},
    mailboxes: [],
    conversations: [],
    subscriptions: [],
    audit: [],
    teamsMessages: [],
  };
  readonly associations = new MemoryAssociations(() => this.state);
  readonly claims: MemoryClaims;
  readonly rules: MemoryRules;
  readonly audit = new MemoryAudit(() => this.state);
  readonly mailboxes = new MemoryMailboxes(() => this.state);
  readonly conversations: ConversationStore = {
    upsert: async (row) => {
      const list = this.state.conversations;
      const i = list.findIndex((c) => c.tenantId === row.tenantId && c.conversationId === row.conversationId);
      // The first install's time is kept, as the table's upsert does.
      if (i < 0) list.push(structuredClone(row));
      else list[i] = { ...structuredClone(row), installedAt: list[i]?.installedAt ?? row.installedAt };
    },
  };
  readonly emails = new MemoryEmails(() => this.state);
  readonly jobs = new MemoryJobs(() => this.state);
  readonly teamsMessages = new MemoryTeamsMessages(() => this.state);
  private turn: Promise<unknown> = Promise.resolve();

  constructor(readonly clock: () => Date = () => new Date('2026-11-22T10:00:00.000Z')) {
    this.claims = new MemoryClaims(() => this.state, clock);
    this.rules = new MemoryRules(() => this.state, clock);
  }

  run<T>(work: (tx: WorkPorts) => Promise<T>): Promise<T> {
    const mine = this.turn.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work({
          emails: this.emails,
          associations: this.associations,
          teamsMessages: this.teamsMessages,
          claims: this.claims,
          rules: this.rules,
          mailboxes: this.mailboxes,
          conversations: this.conversations,
          audit: this.audit,
          jobs: this.jobs,
        });
      } catch (err) {
        this.state = before;
        throw err;
      }
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }
}
