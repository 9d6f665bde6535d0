import type { CardActionHandler } from './card-actions.js';
import { workingCard } from './cards/working-card.js';
import { withinBudget } from './message-extension/within-budget.js';

/**
 * How long a card click may take before Mailroom answers "working on it". Microsoft documents no time limit for
 * the `adaptiveCard/action` invoke (docs/wire.md, T-invoke); messaging-extension answers have 5 s and reports
 * for card actions say 10 to 15 s. 2.5 s answers well inside the shortest, with room for the network.
 */
export const INVOKE_LIMIT_MS = 2_500;

export interface InvokeTimeLimitOptions {
  limitMs?: number;
  /** Re-renders every card of the email for everyone (the card.update job), once the late work has settled. */
  refreshCard: (tenantId: string, emailId: string) => Promise<void>;
}

function emailIdOf(data: unknown): string | null {
  const id = (data as { emailId?: unknown } | null)?.emailId;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * A card click answered within Teams' time: the handler's own answer when it is in time; otherwise the working
 * card, while the handler finishes in the background and the email's card is then updated for everyone, so the
 * clicker's "working on it" is replaced by the outcome. Slack's bolt acknowledges within 3 s for the same reason.
 */
export function withInvokeTimeLimit(handler: CardActionHandler, opts: InvokeTimeLimitOptions): CardActionHandler {
  const limitMs = opts.limitMs ?? INVOKE_LIMIT_MS;
  return async (turn, verb, data, log) => {
    const work = handler(turn, verb, data, log);
    const answer = await withinBudget(work, limitMs, null, (err) =>
      log.error({ err }, 'card action failed after its "working on it" answer'),
    );
    if (!answer.late && answer.value !== null) return answer.value;
    const emailId = emailIdOf(data);
    log.warn({ limitMs, emailId }, 'card action ran past the invoke time limit; answering "working on it"');
    if (emailId !== null) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      void settled
        .then(() => opts.refreshCard(turn.tenantId, emailId))
        .then(
          () => log.info({ emailId }, 'late card action done; card update queued'),
          (err: unknown) => log.error({ err, emailId }, 'could not queue the card update after a late card action'),
        );
    }
    return workingCard(emailId);
  };
}
