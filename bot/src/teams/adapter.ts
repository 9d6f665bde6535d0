// The class's own module, not the package's index: see app.ts.
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import type { Activity, ConfigurationBotFrameworkAuthenticationOptions, InvokeResponse, TurnContext } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { errorReply } from '../core/error-reply.js';
import { MailroomError } from '../core/errors.js';
import { activityTenants } from './activity-tenant.js';
import { botAuthSettings } from './bot-auth.js';

type Logic = (context: TurnContext) => Promise<void>;

/** Errors that jsonwebtoken throws for a bad token. CloudAdapter answers them 500 unless they become 401s. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

export interface AdapterGate {
  /** The one tenant served (config.tenantId); an activity naming any other, or none, is refused. */
  tenantId: string;
  /** Each refusal, and each turn that fails, is one structured line here (not botbuilder's console.error). */
  log: Logger;
}

/**
 * botframework-connector's JwtTokenExtractor prints every refused token with console.error: an expired token as its
 * TokenExpiredError (with its whole stack), any other failure as "Error finding key for token. Available keys: …".
 * The adapter logs the refusal itself as one structured line, so those two prints are dropped; any other
 * console.error still prints. They are recognized by what they print rather than by where they are called from: an
 * AsyncLocalStorage scope would turn on Node's promise hooks for the whole process, a cost every notification's
 * acknowledgement would pay.
 */
let consoleQuieted = false;
function quietTokenChecks(): void {
  if (consoleQuieted) return;
  consoleQuieted = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (!isTokenCheckPrint(args)) print(...args);
  };
}

function isTokenCheckPrint(args: unknown[]): boolean {
  if (args.length !== 1) return false;
  const [a] = args;
  if (a instanceof Error) return a.name === 'TokenExpiredError';
  return typeof a === 'string' && a.startsWith('Error finding key for token. Available keys:');
}

/** A refused or failed activity's answer, its status and words from the error catalogue. */
const refusal = (code: 'unauthorized' | 'wrong_tenant' | 'internal', message: string): InvokeResponse =>
  errorReply(new MailroomError(code, message));

/**
 * TeamsAdapter that checks, before any handler runs, that the token is good and the activity is from the served
 * tenant. Stock CloudAdapter turns only AuthenticationError into 401 (a token signed by a stranger's key under a known
 * kid makes jsonwebtoken throw "invalid signature", which it answers 500), and prints every failure with
 * console.error; here each is one log line and a 401, 403 or 500 in Mailroom's error shape.
 */
class MailroomTeamsAdapter extends TeamsAdapter {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly gate: AdapterGate,
  ) {
    super(settings, credentialsFactory);
  }

  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    const where = { activityId: activity.id, activityType: activity.type, name: activity.name };
    let result: AuthenticateRequestResult;
    if (typeof auth === 'string') {
      try {
        quietTokenChecks();
        result = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
      } catch (err) {
        if (!(err instanceof AuthenticationError) && !(err instanceof Error && JWT_ERRORS.has(err.name))) throw err;
        this.gate.log.warn({ ...where, reason: err.message }, 'Bot Framework token refused');
        return refusal('unauthorized', 'The Bot Framework token is missing or not valid.');
      }
    } else {
      result = auth;
    }
    const tenants = activityTenants(activity);
    const served = this.gate.tenantId.toLowerCase();
    if (tenants.length === 0 || tenants.some((t) => t !== served)) {
      this.gate.log.warn({ ...where, tenants, servedTenant: served }, 'activity from another tenant refused');
      return refusal('wrong_tenant', 'This Mailroom serves another Microsoft 365 organization.');
    }
    try {
      return await super.processActivity(result, activity, logic);
    } catch (err) {
      this.gate.log.error({ ...where, err }, 'turn failed');
      return refusal('internal', 'the turn failed');
    }
  }
}

/**
 * The Bot Framework adapter for teams-ai's Application. `credentialsFactory` replaces how outgoing calls get their
 * token (tests use a fixed bearer so no login.microsoftonline.com is needed).
 */
export function createTeamsAdapter(
  bot: Config['bot'],
  gate: AdapterGate,
  opts: { credentialsFactory?: ServiceClientCredentialsFactory } = {},
): TeamsAdapter {
  return new MailroomTeamsAdapter(botAuthSettings(bot), opts.credentialsFactory, gate);
}

/** The request shape TeamsAdapter.process reads. */
export type BotRequest = Parameters<TeamsAdapter['process']>[0];

/**
 * Narrows a node request to what the adapter reads (body, headers, method). Needed because node types
 * `method` as `string | undefined`, which `exactOptionalPropertyTypes` refuses for botbuilder's `method?: string`.
 */
export function botRequest(req: {
  body?: unknown;
  headers: BotRequest['headers'];
  method?: string | undefined;
}): BotRequest {
  const out: BotRequest = { headers: req.headers, method: req.method ?? 'GET' };
  if (typeof req.body === 'object' && req.body !== null) out.body = req.body as NonNullable<BotRequest['body']>;
  return out;
}
