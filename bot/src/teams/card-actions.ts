import type { Logger } from 'pino';
import type { ClaimService } from '../core/claims.js';
import { errorWords, personWords } from '../core/error-words.js';
import { MailroomError } from '../core/errors.js';
import type { RecordRef } from '../core/ports.js';
import { recordTypeLabel } from '../core/record-type-label.js';
import { requestSaves, retrySave, type SaveDeps } from '../core/save.js';
import type { NetSuiteRecords } from '../netsuite/index.js';
import { isVerb, parseVerbData, Verb } from './actions.js';
import { type CardViewDeps, loadCardView } from './card-view.js';
import { alreadyClaimedWords } from './cards/answer-cards.js';
import { cardText } from './cards/card-text.js';
import { emailCard } from './cards/email-card.js';
import type { CardJson } from './cards/expand-template.js';
import { turnForMailboxAdmin } from './commands/mailbox-admin.js';
import { checkEmailInTeam } from './email-team.js';
import { nameRecords } from './name-records.js';
import type { TurnInfo } from './turn-info.js';

/** The find box's limit (the card's Input.Text maxLength), the results offered, and the search's share of the click. */
const MAX_FIND = 100;
const MAX_FOUND = 10;
const FIND_BUDGET_MS = 2_000;

/**
 * What a card button does; a string answer is shown to the clicker alone, a card replaces theirs. The verb is the
 * wire's: one Mailroom does not know is an out-of-date card's.
 */
export type CardActionHandler = (
  turn: TurnInfo,
  verb: string,
  data: unknown,
  log: Logger,
) => Promise<CardJson | string>;

export interface CardActionDeps {
  save: SaveDeps;
  view: CardViewDeps;
  claims: ClaimService;
  records: NetSuiteRecords;
  /** Extra verbs wired elsewhere (autopilot). */
  autopilot?: (turn: TurnInfo, data: unknown, log: Logger) => Promise<CardJson | string>;
  /** MAILROOM_ADMINS plus the team's owners (AdminRoster): the one admin decision for card clicks. */
  isAdmin: (turn: TurnInfo) => Promise<boolean>;
}

async function viewFor(deps: CardActionDeps, turn: TurnInfo, emailId: string): Promise<CardJson | string> {
  // A claim stored before Mailroom kept MRIs learns the claimer's here, on any click or refresh of theirs.
  await deps.claims.claimerSeen({ tenantId: turn.tenantId, emailId, user: claimer(turn) });
  const view = await loadCardView(deps.view, turn.tenantId, emailId);
  if (!view) return 'This email is no longer in Mailroom.';
  return emailCard(view, { userId: turn.user.id });
}

/** The email a click's data names, if it names one in a readable form. */
function emailIdOf(raw: unknown): string | null {
  const id = (raw as { emailId?: unknown } | null)?.emailId;
  return typeof id === 'string' && id !== '' && id.length <= 200 ? id : null;
}

/** A card that moved on, in the words of the error catalogue; `why` says how, when Mailroom knows. */
function outOfDate(message: string, why?: string): MailroomError {
  return new MailroomError('card_out_of_date', message, why === undefined ? {} : { detail: why });
}

/**
 * The answer to an out-of-date or malformed click: the email's card as it is now, saying the card was out of
 * date. Retrying the same click would not help, so nothing says "try again". Nothing was changed.
 */
async function outOfDateAnswer(
  deps: CardActionDeps,
  turn: TurnInfo,
  raw: unknown,
  err: MailroomError,
  log: Logger,
): Promise<CardJson | string> {
  log.info({ code: err.code, reason: err.message }, 'card action from an out-of-date card');
  const emailId = emailIdOf(raw);
  const view = emailId === null ? null : await loadCardView(deps.view, turn.tenantId, emailId);
  if (!view) return `${errorWords(err).title} Its email is no longer in Mailroom; open the newest card in the channel.`;
  return emailCard(view, { userId: turn.user.id, notice: personWords(err) });
}

/**
 * A claim someone else won: the clicker's card, as it is now, shows who holds the email, with the words at its top.
 * Nothing is written (the holder's MRI is not theirs to teach), so the claims and the audit stay as they were.
 */
async function lostClaimAnswer(
  deps: CardActionDeps,
  turn: TurnInfo,
  emailId: string,
  holderName: string,
): Promise<CardJson | string> {
  const words = alreadyClaimedWords(holderName);
  const view = await loadCardView(deps.view, turn.tenantId, emailId);
  if (!view) return words.title;
  return emailCard(view, { userId: turn.user.id, notice: `${words.title}. ${words.text} ${words.remedy}` });
}

function claimer(turn: TurnInfo) {
  return { id: turn.user.id, name: turn.user.name, ...(turn.user.mri ? { mri: turn.user.mri } : {}) };
}

/**
 * What each card button does. The clicker gets their own view back at once; everyone else's card is updated
 * by a durable job, so a slow or throttled Teams never loses the change.
 */
export function cardActions(deps: CardActionDeps): CardActionHandler {
  const act = verbActions(deps);
  return async (turn, verb, raw, log) => {
    try {
      if (!isVerb(verb)) throw outOfDate(`unknown verb ${verb.slice(0, 40)}`);
      const emailId = emailIdOf(raw);
      const email = emailId === null ? null : await deps.save.emails.byId(turn.tenantId, emailId);
      if (!email) throw outOfDate(`${verb}: the card names no email Mailroom has`);
      await checkEmailInTeam(deps.save.mailboxes, turn, email);
      return await act(turn, verb, raw, log);
    } catch (err) {
      if (err instanceof MailroomError && err.code === 'card_out_of_date') {
        return outOfDateAnswer(deps, turn, raw, err, log);
      }
      throw err;
    }
  };
}

function verbActions(deps: CardActionDeps) {
  return async (turn: TurnInfo, verb: Verb, raw: unknown, log: Logger): Promise<CardJson | string> => {
    const actor = { id: turn.user.id, name: turn.user.name };
    switch (verb) {
      case Verb.save: {
        const data = parseVerbData(Verb.save, raw);
        if (!deps.records.configured)
          return `NetSuite is not connected yet, so saving is off. ${deps.records.setupRemedy}`;
        if (data.records.length === 0) return 'Pick at least one record first, or type to search NetSuite.';
        const suggestions = await deps.view.emails.suggestions(turn.tenantId, data.emailId);
        const records = await nameRecords(deps.records, data.records, Array.isArray(suggestions) ? suggestions : []);
        const result = await requestSaves(
          deps.save,
          { tenantId: turn.tenantId, emailId: data.emailId, records, actor, mode: 'one-time' },
          log,
        );
        if (result.queued.length === 0 && result.existing.length > 0) {
          return result.existing
            .map((a) => `Already saved to ${a.record.name} (${recordTypeLabel(a.record.type)}) by ${a.savedBy.name}.`)
            .join(' ');
        }
        return viewFor(deps, turn, data.emailId);
      }
      case Verb.retry: {
        const data = parseVerbData(Verb.retry, raw);
        // The save must be one of the card's own email: the click's team was checked against that email only.
        const save = await deps.save.associations.byId(turn.tenantId, data.associationId);
        if (save?.emailId !== data.emailId) throw outOfDate(`retry of ${data.associationId}: not this email's save`);
        const ok = await retrySave(deps.save, turn.tenantId, data.associationId);
        if (!ok) throw outOfDate(`retry of ${data.associationId}: not failed`, 'that save is not failed any more');
        return viewFor(deps, turn, data.emailId);
      }
      case Verb.claim: {
        const data = parseVerbData(Verb.claim, raw);
        const out = await deps.claims.claimEmail({
          tenantId: turn.tenantId,
          emailId: data.emailId,
          user: claimer(turn),
        });
        if (!out.won) return lostClaimAnswer(deps, turn, data.emailId, out.holder.userName);
        return viewFor(deps, turn, data.emailId);
      }
      case Verb.release: {
        const data = parseVerbData(Verb.release, raw);
        // An admin of the email's own mailbox team: the click's team says nothing, since its data names any email.
        const email = await deps.save.emails.byId(turn.tenantId, data.emailId);
        const mailbox = email ? await deps.save.mailboxes.byId(turn.tenantId, email.mailboxId) : null;
        const out = await deps.claims.releaseEmail({
          tenantId: turn.tenantId,
          emailId: data.emailId,
          user: actor,
          isAdmin: await deps.isAdmin(turnForMailboxAdmin(turn, mailbox)),
        });
        if (!out.released) throw outOfDate(`release: ${out.message}`, 'nobody claims this email any more');
        return viewFor(deps, turn, data.emailId);
      }
      case Verb.refresh: {
        const data = parseVerbData(Verb.refresh, raw);
        return viewFor(deps, turn, data.emailId);
      }
      case Verb.find: {
        const data = parseVerbData(Verb.find, raw);
        if (!deps.records.configured)
          return `NetSuite is not connected yet, so there is nothing to search. ${deps.records.setupRemedy}`;
        if (data.find.length < 2)
          return 'Type at least two characters of a name, email or number in Find a record, then choose Find a record.';
        if (data.find.length > MAX_FIND)
          return `That search is too long: use at most ${MAX_FIND} characters of a name, email or number.`;
        let found: RecordRef[];
        try {
          found = await deps.records.search(data.find, { limit: MAX_FOUND, budgetMs: FIND_BUDGET_MS });
        } catch (err) {
          log.warn({ err }, 'find a record: NetSuite search failed');
          return 'NetSuite did not answer the search. Try Find a record again in a minute, or pick a record listed on the card.';
        }
        // The text is the clicker's own, but shown back it must read as typed: escaped, one line, no invisibles.
        if (found.length === 0)
          return `No NetSuite record matches "${cardText(data.find, MAX_FIND)}". Try another name, email or number.`;
        const view = await loadCardView(deps.view, turn.tenantId, data.emailId);
        if (!view) return 'This email is no longer in Mailroom.';
        return emailCard(view, { userId: turn.user.id, found: { query: data.find, records: found } });
      }
      case Verb.autopilot:
        if (deps.autopilot) return deps.autopilot(turn, raw, log);
        return 'Autopilot is not available yet.';
    }
  };
}
