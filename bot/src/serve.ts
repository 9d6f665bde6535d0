import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INVOKE_RESPONSE_KEY } from 'botbuilder';
import type { Mailroom } from './compose.js';
import { MailroomError } from './core/errors.js';
import { recordTypeLabel } from './core/record-type-label.js';
import { refreshCardsOfEmail, retrySave } from './core/save.js';
import type { HttpRequest } from './http/router.js';
import { type BotResponse, createServer } from './http/server.js';
import type { TabMount } from './http/tab-routes.js';
import { acceptLifecycle, acceptNotifications, cachedLookup, IntakeCommitter, type IntakeDeps } from './mail/intake.js';
import { lifecycleHandler } from './mail/subscription-keeper.js';
import type { TabIssuer } from './sandbox/tab-issuer.js';
import { openIntakeDb } from './store/intake-db.js';
import { MailboxRepo } from './store/repos/mailboxes.js';
import { tabRoutes } from './tab-api/routes.js';
import { createSsoVerifier } from './tab-api/verify-sso.js';
import { recordChoiceValue } from './teams/actions.js';
import { botRequest, createTeamsAdapter } from './teams/adapter.js';
import { AdminRoster } from './teams/admins-roster.js';
import { createTeamsApp } from './teams/app.js';
import { autopilotAction } from './teams/autopilot-action.js';
import { cardActions } from './teams/card-actions.js';
import { withAutopilotChat } from './teams/commands/autopilot-commands.js';
import { withInvokeTimeLimit } from './teams/invoke-time-limit.js';

const TAB_DIST = fileURLToPath(new URL('../../tab/dist', import.meta.url));

export interface ServeOptions {
  /** The sandbox's local Entra stand-in; its dev-token route is mounted only when this is given. */
  tabIssuer?: TabIssuer;
  onLifecycle?: IntakeDeps['onLifecycle'];
  /** Teams' invoke time limit for card clicks and messaging-extension saves (default INVOKE_LIMIT_MS); for tests. */
  invokeLimitMs?: number;
  /** Graph notifications stored, as each of the intake's batches commits (refused ones never count). */
  onNotificationsStored?: (notifications: number) => void;
}

/** Builds the teams-ai app and the HTTP server around a composed Mailroom. */
export function serveMailroom(m: Mailroom, opts: ServeOptions = {}) {
  const { config, log, repos } = m;
  // Team owners are admins too, read from Graph by the team's group id; the same roster says who is in a team.
  const admins = new AdminRoster({
    configured: config.admins,
    rosterOf: (_tenantId, aadGroupId) => m.mail.listTeamRoster(aadGroupId),
    ...(config.adminGroupId
      ? { adminGroup: { id: config.adminGroupId, isMember: (u: string, g: string) => m.mail.isGroupMember(u, g) } }
      : {}),
    log: log.child({ component: 'admins' }),
  });
  // Incoming activities only: proactive posts go through the poster's own adapter (compose.ts).
  const adapter = createTeamsAdapter(config.bot, { tenantId: config.tenantId, log: log.child({ component: 'bot' }) });
  const app = createTeamsApp({
    adapter,
    botAppId: config.bot.appId,
    log: log.child({ component: 'bot' }),
    conversations: repos.conversations,
    mailboxes: repos.mailboxes,
    clock: m.clock,
    chat: withAutopilotChat(
      {
        watch: {
          mail: m.mail,
          mailboxes: repos.mailboxes,
          uow: m.uow,
          clock: m.clock,
          publicUrl: config.publicUrl ?? `http://127.0.0.1:${config.port}`,
          authority: { isGlobalAdmin: (userId) => admins.isGlobalAdmin(userId) },
        },
      },
      {
        rules: repos.rules,
        autopilot: m.services.autopilot,
        licenses: m.services.licenses,
        seats: repos.licenses,
        admins,
        emails: repos.emails,
      },
    ),
    // Teams' invoke time limit: a click not done in 2.5 s answers "working on it", and its card updates after.
    cardAction: withInvokeTimeLimit(
      cardActions({
        save: m.saveDeps,
        view: m.cardDeps,
        claims: m.services.claims,
        records: m.records,
        isAdmin: (turn) => admins.isAdmin(turn),
        autopilot: autopilotAction({
          save: m.saveDeps,
          view: m.cardDeps,
          autopilot: m.services.autopilot,
          records: m.records,
        }),
      }),
      {
        refreshCard: (tenantId, emailId) => refreshCardsOfEmail(m.saveDeps, tenantId, emailId),
        ...(opts.invokeLimitMs !== undefined ? { limitMs: opts.invokeLimitMs } : {}),
      },
    ),
    searchRecords: async (_turn, text, top) => {
      if (!m.records.configured || text.length < 2) return [];
      const found = await m.records.search(text, { limit: top, budgetMs: 2500 });
      return found.map((r) => ({ title: `${r.name} (${recordTypeLabel(r.type)})`, value: recordChoiceValue(r) }));
    },
    messageExtension: {
      records: m.records,
      save: m.saveDeps,
      db: m.db.kysely,
      netsuiteAccountId: config.netsuite.accountId,
      log: log.child({ component: 'message-extension' }),
      ...(opts.invokeLimitMs !== undefined ? { invokeLimitMs: opts.invokeLimitMs } : {}),
    },
  });

  const intake: IntakeDeps = {
    db: m.db,
    queue: m.queue,
    mailboxes: repos.mailboxes,
    clock: m.clock,
    onLifecycle: opts.onLifecycle ?? lifecycleHandler(m.queue),
  };
  // Notification bursts: one transaction for the requests that arrive while the last one commits, and the few
  // subscriptions they name looked up once. The commits go through a connection of their own (store/intake-db.ts).
  const intakeDb = openIntakeDb(m.db, config.databaseUrl);
  const committed: IntakeDeps = {
    ...intake,
    db: intakeDb.db,
    queue: m.queue.through(intakeDb.db),
    mailboxes: new MailboxRepo(intakeDb.db),
    whileBusy: intakeDb.whileBusy,
  };
  const notificationIntake = {
    ...committed,
    committer: new IntakeCommitter(committed, undefined, opts.onNotificationsStored),
    lookup: cachedLookup(repos.mailboxes),
  };

  const verifier = createSsoVerifier({
    clientId: config.tab.clientId,
    tenantId: config.tenantId,
    ...(opts.tabIssuer
      ? { openIdMetadataUrl: opts.tabIssuer.metadataUrl }
      : config.tab.openIdMetadataUrl
        ? { openIdMetadataUrl: config.tab.openIdMetadataUrl }
        : {}),
  });
  // A tab call names no team (an SSO token names only the user), so the team comes from the data: for a rule, the
  // team whose channel gets its mailbox's cards. Its owners, read from Graph as for card clicks, are admins there.
  const adminOf = (identity: { oid: string; tid: string; upn: string }, teamGroupId?: string | null) =>
    admins.isAdmin({
      tenantId: identity.tid,
      aadGroupId: teamGroupId ?? null,
      user: { id: identity.oid, name: '', upn: identity.upn },
    });
  const tab: TabMount = {
    staticDir: existsSync(TAB_DIST) ? TAB_DIST : undefined,
    verify: async (header) => verifier.verify(header ?? ''),
    routes: tabRoutes({
      db: m.db.kysely,
      engine: m.db.engine,
      recordUrl: (type, id) => m.records.recordUrl({ type: type as never, id }),
      isAdmin: adminOf,
      teamsOf: (identity, groups) => admins.teamsOf(identity.tid, identity.oid, groups),
      turnOffRule: async (tenantId, ruleId, actor) => {
        const rule = await repos.rules.get(tenantId, ruleId);
        if (!rule) throw new MailroomError('not_found', 'That autopilot rule does not exist.');
        // The tab API lets only the owner or an admin (adminOf: ids and UPNs) reach this port, so a caller who
        // is not the owner got here as an admin.
        await m.services.autopilot.turnOffRule(rule, actor, rule.ownerId !== actor.id);
      },
      retrySave: async (tenantId, associationId) => {
        const ok = await retrySave(m.saveDeps, tenantId, associationId);
        if (!ok) throw new MailroomError('bad_request', 'That save is not failed any more.');
      },
      releaseClaim: async (tenantId, emailId, actor) => {
        // The tab API has let only the claimer or an admin reach this port.
        await m.services.claims.releaseEmail({ tenantId, emailId, user: actor, isAdmin: true });
      },
      queue: m.queue,
      log: log.child({ component: 'tab' }),
      now: m.clock,
      catchupIntervalMinutes: config.catchupIntervalMinutes,
    }),
    ...(opts.tabIssuer ? { publicRoutes: opts.tabIssuer.handlers } : {}),
  };

  const server = createServer({
    log: log.child({ component: 'http' }),
    processActivity: async (req: HttpRequest, res: BotResponse) => {
      await adapter.process(botRequest(req), res, async (ctx) => {
        await app.run(ctx);
        // An invoke no handler answered gets botbuilder's bare 501 (the messaging extension answers every one of
        // its own): one line naming it, since the server leaves /api/messages lines to the bot.
        if (ctx.activity.type === 'invoke' && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
          log.warn({ name: ctx.activity.name, status: 501 }, 'invoke refused: no handler for it');
        }
      });
    },
    graph: {
      notifications: (body, l) => acceptNotifications(notificationIntake, body, l),
      lifecycle: (body, l) => acceptLifecycle(intake, body, l),
    },
    ready: async () => {
      await m.db.kysely.selectFrom('jobs').select('id').limit(1).execute();
      return true;
    },
    tab,
  });
  // Every request has been answered by the time the server closes, and with it the last commit.
  if (intakeDb.db !== m.db) server.once('close', () => void intakeDb.db.close());
  return { app, server };
}
