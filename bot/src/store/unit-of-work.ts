import type { Transaction } from 'kysely';
import type { JobSink, UnitOfWork, WorkPorts } from '../core/ports.js';
import type { Db } from './db.js';
import { AssociationRepo } from './repos/associations.js';
import { AuditRepo } from './repos/audit.js';
import { ClaimRepo } from './repos/claims.js';
import { ConversationRepo } from './repos/conversations.js';
import { EmailRepo } from './repos/emails.js';
import { MailboxRepo } from './repos/mailboxes.js';
import { RuleRepo } from './repos/rules.js';
import { TeamsMessageRepo } from './repos/teams-messages.js';
import type { Database } from './schema.js';

/** The job sink of one transaction (the job queue's `within`); main wiring passes it in, so store/ needs no jobs/. */
export type JobsWithin = (trx: Transaction<Database>, afterCommit: (fn: () => void) => void) => JobSink;

/**
 * core's unit of work on Kysely, the same on SQLite and PostgreSQL: one database transaction, with the repositories
 * and the job sink bound to it. Callbacks registered for after the commit run only when it succeeded.
 */
export class StoreUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: Db,
    private readonly jobsWithin: JobsWithin,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run<T>(work: (tx: WorkPorts) => Promise<T>): Promise<T> {
    const afterCommit: Array<() => void> = [];
    const result = await this.db.kysely.transaction().execute((trx) => {
      const txDb: Db = { ...this.db, kysely: trx };
      return work({
        emails: new EmailRepo(txDb),
        associations: new AssociationRepo(txDb),
        teamsMessages: new TeamsMessageRepo(txDb),
        claims: new ClaimRepo(txDb, this.clock),
        rules: new RuleRepo(txDb, this.clock),
        mailboxes: new MailboxRepo(txDb),
        conversations: new ConversationRepo(txDb),
        audit: new AuditRepo(txDb, this.clock),
        jobs: this.jobsWithin(trx, (fn) => afterCommit.push(fn)),
      });
    });
    for (const fn of afterCommit) fn();
    return result;
  }
}
