import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { MessageExtensionCommand } from '../actions.js';

const QUERY = 'composeExtension/query';

/**
 * The Agents Playground does not read the app manifest (its README, "Limitations"), so its search box sends no
 * command id unless one is typed under "Specify Command ID or Parameter". Mailroom has one search command, so a
 * query without a command id can only mean it.
 */
export const blankSearchCommand = async (ctx: TurnContext): Promise<boolean> => {
  const a = ctx.activity;
  const id = (a.value as { commandId?: unknown } | undefined)?.commandId;
  return a.type === ActivityTypes.Invoke && a.name === QUERY && (id === undefined || id === null || id === '');
};

/** The search text: the `query` parameter, or the one parameter a client sent without a name (the Playground). */
export function searchText(ctx: TurnContext, named: Record<string, unknown>): string {
  if (named.query !== undefined) return String(named.query);
  const params = (ctx.activity.value as { parameters?: Array<{ name?: unknown; value?: unknown }> }).parameters ?? [];
  const first = params.find((p) => p.name !== 'initialRun');
  return first?.value === undefined ? '' : String(first.value);
}

const KNOWN = `Mailroom’s commands are ${MessageExtensionCommand.search} (search, parameter "query") and ${MessageExtensionCommand.save} (action on a message).`;

/**
 * A messaging-extension request no route took (an unknown command id, an invoke Mailroom does not serve): one log
 * line with the reason, and an answer the client can show, instead of teams-ai's bare 501 ("Unable to reach app").
 * Registered last, so it sees only what nothing else handled.
 */
export function answerUnmatchedRequests(app: Application<TurnState>, log: Logger): void {
  app.addRoute(
    async (ctx) =>
      ctx.activity.type === ActivityTypes.Invoke && (ctx.activity.name ?? '').startsWith('composeExtension/'),
    async (ctx) => {
      const name = ctx.activity.name ?? '';
      const commandId = (ctx.activity.value as { commandId?: unknown } | undefined)?.commandId;
      const reason =
        typeof commandId === 'string' && commandId !== ''
          ? `unknown command id "${commandId.slice(0, 100)}"`
          : `${name} is not a request Mailroom serves`;
      log.warn({ activityId: ctx.activity.id, invoke: name, reason }, 'messaging extension request refused');
      const text = `Mailroom can’t answer this: ${reason}. ${KNOWN}`;
      const body =
        name === 'composeExtension/fetchTask'
          ? { task: { type: 'message', value: text } }
          : { composeExtension: { type: 'message', text } };
      await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    },
    true,
  );
}
