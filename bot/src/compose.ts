import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AutopilotService } from './core/autopilot.js';
import { applyAutopilot, autopilotHook } from './core/autopilot-apply.js';
import { ClaimService } from './core/claims.js';
import { ingestMessage } from './core/ingest.js';
import { LicenseService } from './core/licenses.js';
import type { UnitOfWork } from './core/ports.js';
import type { RetryPolicy } from './core/retry-policy.js';
import { runSave, type SaveDeps } from './core/save.js';
import { suggestForEmail } from './core/suggest.js';
import { JobKind, postCardJob, updateCardJob } from './jobs/kinds.js';
import { Pacer } from './jobs/pacer.js';
import { JobQueue, type LeaseOrder } from './jobs/queue.js';
import { type MailroomHandlers, mailroomRegistry } from './jobs/registry.js';
import { Worker, type WorkerOptions } from './jobs/worker.js';
import { catchUpMailbox } from './mail/catchup.js';
import type { GraphMailService } from './mail/graph-client.js';
import { createMailService } from './mail/graph-client.js';
import { runSubscriptionJob } from './mail/subscription-keeper.js';
import { createRecordService, type NetSuiteRecords } from './netsuite/index.js';
import { type Db, openDatabase } from './store/db.js';
import { migrate } from './store/migrate.js';
import { AssociationRepo } from './store/repos/associations.js';
import { AuditRepo } from './store/repos/audit.js';
import { CardRepo } from './store/repos/cards.js';
import { ClaimRepo } from './store/repos/claims.js';
import { ConversationRepo } from './store/repos/conversations.js';
import { DeltaStateRepo } from './store/repos/delta-state.js';
import { EmailRepo } from './store/repos/emails.js';
import { LicenseRepo } from './store/repos/licenses.js';
import { MailboxRepo } from './store/repos/mailboxes.js';
import { RuleRepo } from './store/repos/rules.js';
import { TeamsMessageRepo } from './store/repos/teams-messages.js';
import { StoreUnitOfWork } from './store/unit-of-work.js';
import { type CardJobDeps, postEmailCard, updateEmailCard } from './teams/card-jobs.js';
import { TeamsChannelPoster } from './teams/channel-poster.js';
import { createProactiveAdapter } from './teams/proactive-adapter.js';

/**
 * Cards first; autopilot checks and suggestion lookups last: in a burst every email is ingested and its card posted
 * before any rule is matched or NetSuite is asked. An autopilot save then updates a card already posted.
 */
export const LEASE_ORDER: LeaseOrder = {
  first: [JobKind.postCard],
  last: [JobKind.autopilotApply, JobKind.suggest],
};

export interface Overrides {
  fetch?: typeof fetch;
  clock?: () => Date;
  worker?: WorkerOptions;
  /** The default retry policy of every job kind (tests shorten its waits). */
  retry?: Partial<RetryPolicy>;
  /** A NetSuite UI host for deep links (the sandbox's emulator). */
  netsuiteUiBaseUrl?: string;
  /** Shorter than the default only with equally short job leases (the crash tests): see core/save.ts. */
  savingStaleMs?: number;
}

/** Every long-lived part of a running Mailroom, built from config. main.ts and the integration tests share this. */
export interface Mailroom {
  config: Config;
  log: Logger;
  db: Db;
  clock: () => Date;
  queue: JobQueue;
  /** One transaction per core decision: its rows and its jobs commit together. */
  uow: UnitOfWork;
  worker: Worker;
  pacer: Pacer;
  mail: GraphMailService;
  records: NetSuiteRecords;
  repos: {
    conversations: ConversationRepo;
    mailboxes: MailboxRepo;
    emails: EmailRepo;
    cards: CardRepo;
    associations: AssociationRepo;
    claims: ClaimRepo;
    rules: RuleRepo;
    licenses: LicenseRepo;
    audit: AuditRepo;
    teamsMessages: TeamsMessageRepo;
  };
  services: { claims: ClaimService; autopilot: AutopilotService; licenses: LicenseService };
  poster: TeamsChannelPoster;
  saveDeps: SaveDeps;
  cardDeps: CardJobDeps;
}

/** Opens the database (migrating it) and builds every client, repository, service and job handler. */
export async function composeMailroom(config: Config, log: Logger, o: Overrides = {}): Promise<Mailroom> {
  const clock = o.clock ?? (() => new Date());
  const db = openDatabase(config.databaseUrl);
  await migrate(db);

  const repos = {
    conversations: new ConversationRepo(db),
    mailboxes: new MailboxRepo(db),
    emails: new EmailRepo(db),
    cards: new CardRepo(db),
    associations: new AssociationRepo(db),
    claims: new ClaimRepo(db, clock),
    rules: new RuleRepo(db, clock),
    licenses: new LicenseRepo(db, clock),
    audit: new AuditRepo(db, clock),
    teamsMessages: new TeamsMessageRepo(db),
  };
  const queue = new JobQueue(db, clock);
  const uow = new StoreUnitOfWork(db, (trx, afterCommit) => queue.within(trx, afterCommit), clock);
  const pacer = new Pacer(db, undefined, clock);

  const mail = createMailService({
    tenantId: config.graph.tenantId,
    clientId: config.graph.clientId,
    clientSecret: config.graph.clientSecret,
    baseUrl: config.graph.baseUrl,
    authorityHost: config.graph.authorityHost,
    log: log.child({ component: 'graph' }),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    clock,
  });
  const records = createRecordService(config.netsuite, {
    db,
    log,
    clock,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.netsuiteUiBaseUrl ? { uiBaseUrl: o.netsuiteUiBaseUrl } : {}),
  });

  const licenses = new LicenseService({
    store: repos.licenses,
    audit: repos.audit,
    publicKeyPem: config.license.publicKey,
    ...(config.license.key ? { configuredKey: config.license.key } : {}),
    clock,
  });
  await licenses.adoptConfiguredKey();
  const services = {
    claims: new ClaimService({ uow }),
    autopilot: new AutopilotService({ uow, seats: licenses, clock }),
    licenses,
  };

  const poster = new TeamsChannelPoster({
    adapter: createProactiveAdapter(config.bot),
    botAppId: config.bot.appId,
    conversations: repos.conversations,
    pacer,
    log: log.child({ component: 'teams' }),
  });

  const saveDeps: SaveDeps = {
    emails: repos.emails,
    mailboxes: repos.mailboxes,
    associations: repos.associations,
    teamsMessages: repos.teamsMessages,
    jobs: queue,
    uow,
    mail,
    records,
    clock,
    ...(o.savingStaleMs !== undefined ? { savingStaleMs: o.savingStaleMs } : {}),
  };
  const cardDeps: CardJobDeps = {
    emails: repos.emails,
    mailboxes: repos.mailboxes,
    associations: repos.associations,
    claims: repos.claims,
    rules: repos.rules,
    licenses,
    records,
    cards: repos.cards,
    poster,
    clock,
    requestSuggestions: async (tenantId, emailId) => {
      await queue.enqueue({
        tenantId,
        kind: JobKind.suggest,
        payload: { emailId },
        dedupeKey: `${JobKind.suggest}:${emailId}`,
      });
    },
    postPending: (tenantId, emailId) => {
      const job = postCardJob(tenantId, emailId);
      return queue.pending(tenantId, job.kind, job.payload);
    },
  };

  const parts = { config, db, clock, queue, uow, mail, records, repos, services, saveDeps, cardDeps };
  const registry = mailroomRegistry(jobHandlers(parts), o.retry);
  const worker = new Worker(queue, registry, log.child({ component: 'worker' }), {
    order: LEASE_ORDER,
    ...o.worker,
  });
  const mailroom: Mailroom = {
    config,
    log,
    db,
    clock,
    queue,
    uow,
    worker,
    pacer,
    mail,
    records,
    repos,
    services,
    poster,
    saveDeps,
    cardDeps,
  };
  return mailroom;
}

/**
 * The handler of every job kind, registered here and nowhere else, with its retry policy where it differs from the
 * default; each kind's payload schema is core's (core/job-kinds.ts).
 */
function jobHandlers(
  m: Pick<
    Mailroom,
    'config' | 'db' | 'clock' | 'queue' | 'uow' | 'mail' | 'records' | 'repos' | 'services' | 'saveDeps' | 'cardDeps'
  >,
): MailroomHandlers {
  const upkeep = { mail: m.mail, mailboxes: m.repos.mailboxes, queue: m.queue, clock: m.clock };
  const keeper = {
    ...upkeep,
    uow: m.uow,
    publicUrl: m.config.publicUrl ?? `http://127.0.0.1:${m.config.port}`,
  };
  const catchup = {
    ...upkeep,
    emails: m.repos.emails,
    deltaState: new DeltaStateRepo(m.db),
    excludeFolders: m.config.catchupExcludeFolders,
  };
  const ingestDeps = {
    mail: m.mail,
    mailboxes: m.repos.mailboxes,
    uow: m.uow,
    clock: m.clock,
    onNewEmail: autopilotHook(),
  };
  const autopilotDeps = { save: m.saveDeps, rules: m.repos.rules, licenses: m.services.licenses, records: m.records };
  const suggestDeps = { emails: m.repos.emails, mailboxes: m.repos.mailboxes, records: m.records };
  return {
    [JobKind.ingest]: {
      handle: (job, p, log) =>
        ingestMessage(ingestDeps, { tenantId: job.tenantId, mailboxId: p.mailboxId, messageId: p.messageId }, log),
    },
    [JobKind.postCard]: { handle: (job, p, log) => postEmailCard(m.cardDeps, job.tenantId, p.emailId, log) },
    [JobKind.updateCard]: { handle: (job, p, log) => updateEmailCard(m.cardDeps, job.tenantId, p.emailId, log) },
    [JobKind.suggest]: {
      handle: async (job, p, log) => {
        if (await suggestForEmail(suggestDeps, job.tenantId, p.emailId, log)) {
          await m.queue.enqueue(updateCardJob(job.tenantId, p.emailId));
        }
      },
    },
    [JobKind.save]: { handle: (job, p, log) => runSave(m.saveDeps, job.tenantId, p.associationId, log) },
    [JobKind.category]: {
      handle: async (job, p, log) => {
        const email = await m.repos.emails.byId(job.tenantId, p.emailId);
        const mailbox = email ? await m.repos.mailboxes.byId(job.tenantId, email.mailboxId) : null;
        if (!email || !mailbox) return;
        try {
          await m.mail.addCategory(mailbox.graphUserId, email.graphMessageId, 'Saved to NetSuite');
        } catch (err) {
          // The category is a courtesy: its failure never fails the save. Logged, not retried forever.
          log.warn({ err }, 'could not set the Outlook category');
        }
      },
    },
    [JobKind.renew]: { handle: (job, p, log) => runSubscriptionJob(keeper, job.tenantId, p, log) },
    [JobKind.catchup]: {
      handle: (job, p, log) =>
        catchUpMailbox(catchup, { tenantId: job.tenantId, mailboxId: p.mailboxId }, log.child({ reason: p.reason })),
    },
    [JobKind.autopilotApply]: { handle: (job, p, log) => applyAutopilot(autopilotDeps, job.tenantId, p.emailId, log) },
  };
}
