import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AutopilotService } from './core/autopilot.js';
import { applyAutopilot, autopilotHook } from './core/autopilot-apply.js';
import { ClaimService } from './core/claims.js';
import { ingestMessage } from './core/ingest.js';
import { LicenseService } from './core/licenses.js';
import type { UnitOfWork } from './core/ports.js';
import { runSave, type SaveDeps } from './core/save.js';
import { suggestForEmail } from './core/suggest.js';
import { type EmailPayload, type IngestPayload, JobKind, updateCardJob } from './jobs/kinds.js';
import { Pacer } from './jobs/pacer.js';
import { JobQueue } from './jobs/queue.js';
import { Worker, type WorkerOptions } from './jobs/worker.js';
import type { GraphMailService } from './mail/graph-client.js';
import { createMailService } from './mail/graph-client.js';
import { scheduleRenewal } from './mail/subscription-keeper.js';
import { registerUpkeepJobs } from './mail/upkeep.js';
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
import { ensureSearchIndex } from './store/search-index.js';
import { StoreUnitOfWork } from './store/unit-of-work.js';
import { createTeamsAdapter } from './teams/adapter.js';
import { type CardJobDeps, postEmailCard, updateEmailCard } from './teams/card-jobs.js';
import { TeamsChannelPoster } from './teams/channel-poster.js';

export interface Overrides {
  fetch?: typeof fetch;
  clock?: () => Date;
  worker?: WorkerOptions;
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
  };
  services: { claims: ClaimService; autopilot: AutopilotService; licenses: LicenseService };
  adapter: ReturnType<typeof createTeamsAdapter>;
  poster: TeamsChannelPoster;
  saveDeps: SaveDeps;
  cardDeps: CardJobDeps;
}

/** Opens the database (migrating it) and builds every client, repository, service and job handler. */
export async function composeMailroom(config: Config, log: Logger, o: Overrides = {}): Promise<Mailroom> {
  const clock = o.clock ?? (() => new Date());
  const db = openDatabase(config.databaseUrl);
  await migrate(db);
  await ensureSearchIndex(db, log.child({ component: 'store' }));

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
  };
  const queue = new JobQueue(db, clock);
  const uow = new StoreUnitOfWork(db, (trx, afterCommit) => queue.within(trx, afterCommit), clock);
  const worker = new Worker(queue, log.child({ component: 'worker' }), o.worker);
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
    claims: new ClaimService({ claims: repos.claims, audit: repos.audit }),
    autopilot: new AutopilotService({ rules: repos.rules, seats: licenses, audit: repos.audit }),
    licenses,
  };

  const adapter = createTeamsAdapter(config.bot, { tenantId: config.tenantId, log: log.child({ component: 'bot' }) });
  const poster = new TeamsChannelPoster({
    adapter,
    botAppId: config.bot.appId,
    conversations: repos.conversations,
    pacer,
    log: log.child({ component: 'teams' }),
  });

  const saveDeps: SaveDeps = {
    emails: repos.emails,
    mailboxes: repos.mailboxes,
    associations: repos.associations,
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
  };

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
    adapter,
    poster,
    saveDeps,
    cardDeps,
  };
  registerJobs(mailroom);
  return mailroom;
}

function registerJobs(m: Mailroom): void {
  // Issue 5: subscription renewal / lifecycle and delta catch-up jobs.
  const upkeepBase = { mail: m.mail, mailboxes: m.repos.mailboxes, queue: m.queue, clock: m.clock };
  registerUpkeepJobs(
    m.worker,
    {
      ...upkeepBase,
      publicUrl: m.config.publicUrl ?? `http://127.0.0.1:${m.config.port}`,
      onSubscribed: (sub) => scheduleRenewal(m.queue, m.clock, sub),
    },
    {
      ...upkeepBase,
      emails: m.repos.emails,
      deltaState: new DeltaStateRepo(m.db),
      excludeFolders: m.config.catchupExcludeFolders,
    },
  );
  const ingestDeps = {
    mail: m.mail,
    mailboxes: m.repos.mailboxes,
    uow: m.uow,
    clock: m.clock,
    onNewEmail: autopilotHook(),
  };
  const autopilotDeps = { save: m.saveDeps, rules: m.repos.rules, licenses: m.services.licenses, records: m.records };
  m.worker.register(JobKind.autopilotApply, async (job, log) => {
    await applyAutopilot(autopilotDeps, job.tenantId, (job.payload as EmailPayload).emailId, log);
  });
  m.worker
    .register(JobKind.ingest, async (job, log) => {
      const p = job.payload as IngestPayload;
      await ingestMessage(ingestDeps, { tenantId: job.tenantId, mailboxId: p.mailboxId, messageId: p.messageId }, log);
    })
    .register(JobKind.postCard, async (job, log) => {
      await postEmailCard(m.cardDeps, job.tenantId, (job.payload as EmailPayload).emailId, log);
    })
    .register(JobKind.updateCard, async (job, log) => {
      await updateEmailCard(m.cardDeps, job.tenantId, (job.payload as EmailPayload).emailId, log);
    })
    .register(JobKind.suggest, async (job, log) => {
      const { emailId } = job.payload as EmailPayload;
      const suggestDeps = { emails: m.repos.emails, mailboxes: m.repos.mailboxes, records: m.records };
      if (await suggestForEmail(suggestDeps, job.tenantId, emailId, log)) {
        await m.queue.enqueue(updateCardJob(job.tenantId, emailId));
      }
    })
    .register(JobKind.save, async (job, log) => {
      await runSave(m.saveDeps, job.tenantId, (job.payload as { associationId: string }).associationId, log);
    })
    .register(JobKind.category, async (job, log) => {
      const email = await m.repos.emails.byId(job.tenantId, (job.payload as EmailPayload).emailId);
      const mailbox = email ? await m.repos.mailboxes.byId(job.tenantId, email.mailboxId) : null;
      if (!email || !mailbox) return;
      try {
        await m.mail.addCategory(mailbox.graphUserId, email.graphMessageId, 'Saved to NetSuite');
      } catch (err) {
        // The category is a courtesy: its failure never fails the save. Logged, not retried forever.
        log.warn({ err }, 'could not set the Outlook category');
      }
    });
}
