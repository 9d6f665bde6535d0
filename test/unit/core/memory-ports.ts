import type { Email, NewEmail } from '../../../bot/src/core/email.js';
import type { EmailStore, JobRequest, JobSink, UnitOfWork, WorkPorts } from '../../../bot/src/core/ports.js';

/** Everything the in-memory ports hold. A unit of work copies it first and puts the copy back if the work throws. */
export interface MemoryState {
  emails: Email[];
  jobs: Array<JobRequest & { id: string }>;
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

  async updateGraphId(tenantId: string, id: string, graphMessageId: string) {
    const e = this.state().emails.find((x) => x.tenantId === tenantId && x.id === id);
    if (e) e.graphMessageId = graphMessageId;
  }

  async setAutopilotNote(tenantId: string, id: string, note: string | null) {
    const e = this.state().emails.find((x) => x.tenantId === tenantId && x.id === id);
    if (!e) return;
    if (note === null) delete e.autopilotNote;
    else e.autopilotNote = note;
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
  state: MemoryState = { emails: [], jobs: [] };
  readonly emails = new MemoryEmails(() => this.state);
  readonly jobs = new MemoryJobs(() => this.state);
  private turn: Promise<unknown> = Promise.resolve();

  run<T>(work: (tx: WorkPorts) => Promise<T>): Promise<T> {
    const mine = this.turn.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work({ emails: this.emails, jobs: this.jobs });
      } catch (err) {
        this.state = before;
        throw err;
      }
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }
}
