import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { personWords } from '../../core/error-words.js';
import { MailroomError } from '../../core/errors.js';
import type { SaveDeps } from '../../core/save.js';
import type { NetSuiteRecords } from '../../netsuite/index.js';
import type { Database } from '../../store/schema.js';
import { MessageExtensionCommand } from '../actions.js';
import { INVOKE_LIMIT_MS } from '../invoke-time-limit.js';
import { turnInfo } from '../turn-info.js';
import { accountUiHost } from './record-link.js';
import { openSaveDialog } from './save-dialog.js';
import { messageResult, searchCommand } from './search-command.js';
import { submitSave } from './submit-save.js';
import { unfurlLink, unreadable } from './unfurl-link.js';
import { answerUnmatchedRequests, blankSearchCommand, searchText } from './unmatched-request.js';
import { withinBudget } from './within-budget.js';

export interface MessageExtensionDeps {
  records: NetSuiteRecords;
  save: SaveDeps;
  db: Kysely<Database>;
  /** The NetSuite account id; links to its UI host (`<acct>.app.netsuite.com`) unfurl. */
  netsuiteAccountId: string;
  log: Logger;
  /**
   * Time given to NetSuite within one answer. Teams waits 5 s for search, action and unfurl answers; Mailroom
   * answers within its own 2.5 s invoke limit, and the rest of that is left for our own work.
   * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search
   */
  budgetMs?: number;
  /** A save not answered by then answers "still saving" and finishes in the background (INVOKE_LIMIT_MS). */
  invokeLimitMs?: number;
}

const DEFAULT_BUDGET_MS = 2_000;

const STILL_SAVING =
  'Still saving: NetSuite or Mailroom is slow right now. Nothing is lost; check the record in a minute, or the ' +
  "email's card if it came from one. Saving again will not make a copy.";

/** The UI hosts whose links are ours: the account's, plus wherever deep links point (the sandbox's emulator). */
function accountHosts(deps: MessageExtensionDeps): string[] {
  const hosts = new Set<string>();
  if (deps.netsuiteAccountId.trim() !== '') hosts.add(accountUiHost(deps.netsuiteAccountId));
  const sample = deps.records.recordUrl({ type: 'customer', id: '1' });
  if (URL.canParse(sample)) hosts.add(new URL(sample).host.toLowerCase());
  return [...hosts];
}

function failureText(err: unknown): string {
  if (err instanceof MailroomError) return personWords(err);
  return 'Mailroom could not do that just now. Nothing was saved twice; try again in a moment.';
}

/** A defect keeps its stack in the log; a refusal (another team's email, a bad record choice) one line with its code. */
function logFailure(log: Logger, err: unknown, what: string): void {
  if (err instanceof MailroomError) log.warn({ code: err.code, reason: err.message }, `${what} refused`);
  else log.error({ err }, `${what} failed`);
}

/** Routes the NetSuite messaging extension: the search command, the "Save to NetSuite" action and link unfurling. */
export function registerMessageExtension(app: Application<TurnState>, deps: MessageExtensionDeps): void {
  const budgetMs = deps.budgetMs ?? DEFAULT_BUDGET_MS;
  const hosts = accountHosts(deps);
  const logFor = (ctx: TurnContext, what: string) =>
    deps.log.child({ activityId: ctx.activity.id, conversationId: ctx.activity.conversation?.id, what });

  app.messageExtensions.query([MessageExtensionCommand.search, blankSearchCommand], async (ctx, _state, query) => {
    const log = logFor(ctx, 'me.search');
    const text = searchText(ctx, query.parameters);
    try {
      return await searchCommand({ records: deps.records, db: deps.db, log, budgetMs }, turnInfo(ctx), {
        text,
        count: query.count,
        skip: query.skip,
      });
    } catch (err) {
      if (!(err instanceof MailroomError)) log.error({ err }, 'messaging extension search failed');
      return messageResult(failureText(err));
    }
  });

  app.messageExtensions.fetchTask(MessageExtensionCommand.save, async (ctx) => {
    const log = logFor(ctx, 'me.fetchTask');
    try {
      return await openSaveDialog(
        { emails: deps.save.emails, mailboxes: deps.save.mailboxes, records: deps.records },
        turnInfo(ctx),
        ctx.activity.value,
      );
    } catch (err) {
      logFailure(log, err, 'the save dialog');
      return failureText(err);
    }
  });

  app.messageExtensions.submitAction(MessageExtensionCommand.save, async (ctx) => {
    const log = logFor(ctx, 'me.submitAction');
    const conversationId = ctx.activity.conversation?.id ?? '';
    const work = submitSave(
      { save: deps.save, records: deps.records, log, budgetMs },
      turnInfo(ctx),
      ctx.activity.value,
      conversationId,
    ).catch((err: unknown) => {
      logFailure(log, err, 'messaging extension save');
      return failureText(err);
    });
    const answer = await withinBudget(work, deps.invokeLimitMs ?? INVOKE_LIMIT_MS, STILL_SAVING, (err) =>
      log.error({ err }, 'messaging extension save failed after its answer'),
    );
    if (answer.late) {
      log.warn('messaging extension save ran past the invoke time limit; answered "still saving"');
      void work.then((text) => log.info({ outcome: text }, 'late messaging extension save finished'));
    }
    return answer.value;
  });

  app.messageExtensions.queryLink(async (ctx, _state, url) => {
    const log = logFor(ctx, 'me.queryLink');
    try {
      return await unfurlLink({ records: deps.records, log, accountHosts: hosts, budgetMs }, url ?? '');
    } catch (err) {
      // A defect: it keeps its stack in the log, and the chat still gets a card that says what to do.
      log.error({ err }, 'link unfurling failed');
      return unreadable(
        log,
        url ?? '',
        'Mailroom could not read this link just now. Paste it again in a minute.',
        'internal',
      );
    }
  });

  answerUnmatchedRequests(app, deps.log);
}
