import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  answerUnmatchedRequests,
  blankSearchCommand,
  searchText,
} from '../../../bot/src/teams/message-extension/unmatched-request.js';

type Route = (ctx: TurnContext) => Promise<void>;
type Selector = (ctx: TurnContext) => Promise<boolean>;

function setUp() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
  let selector: Selector = async () => false;
  let route: Route = async () => undefined;
  const app = {
    addRoute(s: Selector, r: Route) {
      selector = s;
      route = r;
      return app;
    },
  } as unknown as Application<TurnState>;
  answerUnmatchedRequests(app, log);
  const sent: unknown[] = [];
  const ctx = (name: string, value: unknown) =>
    ({
      activity: { type: 'invoke', name, id: 'a1', value },
      sendActivity: async (x: unknown) => sent.push(x),
    }) as unknown as TurnContext;
  return { lines, sent, ctx, selector: (c: TurnContext) => selector(c), route: (c: TurnContext) => route(c) };
}

describe('messaging-extension requests that no route took', () => {
  it('logs one line with the reason and answers with the command ids', async () => {
    const t = setUp();
    const c = t.ctx('composeExtension/query', { commandId: 'findThings', parameters: [] });
    expect(await t.selector(c)).toBe(true);
    await t.route(c);
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]).toMatchObject({
      msg: 'messaging extension request refused',
      reason: 'unknown command id "findThings"',
      invoke: 'composeExtension/query',
    });
    expect(JSON.stringify(t.sent)).toContain('netsuiteSearch');
  });

  it('takes only messaging-extension invokes', async () => {
    const t = setUp();
    expect(await t.selector(t.ctx('adaptiveCard/action', {}))).toBe(false);
  });

  it('reads a query with no command id as the search, and its unnamed parameter as the text', async () => {
    const t = setUp();
    expect(await blankSearchCommand(t.ctx('composeExtension/query', { parameters: [{ value: 'Ana' }] }))).toBe(true);
    expect(await blankSearchCommand(t.ctx('composeExtension/query', { commandId: 'other' }))).toBe(false);
    const c = t.ctx('composeExtension/query', {
      parameters: [{ name: 'initialRun', value: 'true' }, { value: 'Ana' }],
    });
    expect(searchText(c, {})).toBe('Ana');
    expect(searchText(c, { query: 'Li' })).toBe('Li');
  });
});
