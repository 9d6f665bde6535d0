import type { Logger } from 'pino';
import type { Association } from '../../core/associations.js';
import { MailroomError } from '../../core/errors.js';
import type { RecordRef } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import { requestSaves, requestTeamsMessageSaves, type SaveDeps } from '../../core/save.js';
import type { NetSuiteRecords } from '../../netsuite/index.js';
import { type RecordKey, verbData } from '../actions.js';
import { checkEmailInTeam } from '../email-team.js';
import { nameRecords } from '../name-records.js';
import type { TurnInfo } from '../turn-info.js';
import { emailIdOnCard, type MessagePayload, messagePayloadOf } from './message-payload.js';
import { teamsMessageOf, UNKNOWN_AUTHOR } from './teams-message-input.js';
import { remaining, withinBudget } from './within-budget.js';

export interface SubmitSaveDeps {
  save: SaveDeps;
  records: NetSuiteRecords;
  log: Logger;
  /** How long a Teams-message save may take before the answer says it is still going. */
  budgetMs: number;
}

/** The directory lookup of a message's author must leave NetSuite most of the answer's time. */
const AUTHOR_LOOKUP_MS = 800;

const label = (r: RecordRef) => `${r.name} (${recordTypeLabel(r.type)})`;

function pickedRecords(data: Record<string, unknown>): RecordKey[] {
  const parsed = verbData.save.shape.records.safeParse(data.records);
  if (!parsed.success) {
    throw new MailroomError('bad_request', 'That record choice was not understood.', {
      remedy: 'Pick the records from the list again, then select Save.',
    });
  }
  return parsed.data;
}

/**
 * The dialog's Save. An email card's email goes through the same exactly-once path as the card's own Save
 * button (one durable job per email and record); any other message is kept and goes through the same path, as
 * one job per message and record.
 * Answers in words, which Teams shows in the dialog.
 */
export async function submitSave(
  deps: SubmitSaveDeps,
  turn: TurnInfo,
  value: unknown,
  conversationId: string,
): Promise<string> {
  const started = Date.now();
  if (!deps.records.configured) return `NetSuite is not connected yet. ${deps.records.setupRemedy}`;
  const data = ((value as { data?: unknown } | null)?.data ?? {}) as Record<string, unknown>;
  const keys = pickedRecords(data);
  if (keys.length === 0) return 'Pick at least one record first: type a name, email or number to search NetSuite.';
  const payload = messagePayloadOf(value);
  const emailId = (typeof data.emailId === 'string' && data.emailId) || (payload ? emailIdOnCard(payload) : null);
  const actor = { id: turn.user.id, name: turn.user.name };

  if (emailId) {
    const email = await deps.save.emails.byId(turn.tenantId, emailId);
    if (!email) return 'This email is no longer in Mailroom, so it cannot be saved from here. Save it from Outlook.';
    await checkEmailInTeam(deps.save.mailboxes, turn, email);
    const suggestions = await deps.save.emails.suggestions(turn.tenantId, email.id);
    const records = await nameRecords(deps.records, keys, Array.isArray(suggestions) ? suggestions : []);
    const out = await requestSaves(
      deps.save,
      { tenantId: turn.tenantId, emailId: email.id, records, actor, mode: 'one-time' },
      deps.log,
    );
    const lines = [
      out.queued.length > 0
        ? `Saving "${email.subject || '(no subject)'}" to ${out.queued.map((a) => label(a.record)).join(', ')}. The email's card shows when it is done.`
        : '',
      ...out.existing.map((a) => `Already saved to ${label(a.record)} by ${a.savedBy.name}; nothing new was created.`),
    ];
    return lines.filter((l) => l !== '').join(' ');
  }

  if (!payload?.id) {
    return 'Teams did not send the message to save. Close this dialog and start "Save to NetSuite" from the message again.';
  }
  const message = { ...payload, id: payload.id };
  const [records, authorAddress] = await Promise.all([
    nameRecords(deps.records, keys, []),
    authorAddressOf(deps, message, turn),
  ]);
  // The same command and jobs as an email's Save: one durable save per (message, record), audited, and listed on
  // the Dashboard. The answer waits for the jobs while Teams waits, and says where to look when they take longer.
  const kept = teamsMessageOf(turn.tenantId, conversationId, turn.teamId, message, deps.save.clock(), authorAddress);
  const out = await requestTeamsMessageSaves(
    deps.save,
    { tenantId: turn.tenantId, message: kept, records, actor },
    deps.log,
  );
  const settled = await outcomes(deps.save, turn.tenantId, out.queued, remaining(started, deps.budgetMs));
  return [
    ...settled.map((a) => {
      if (a.status === 'saved' || a.status === 'partial') return `Saved the message to ${label(a.record)}.`;
      if (a.status === 'failed') {
        return `Could not save to ${label(a.record)}: ${a.errorMessage ?? 'NetSuite refused it.'} Retry it from the Mailroom Dashboard; it will not be saved twice.`;
      }
      return `Still saving to ${label(a.record)}: NetSuite is slow. The Mailroom Dashboard shows when it is done; saving again will not make a copy.`;
    }),
    ...out.existing.map((a) => `Already saved to ${label(a.record)} by ${a.savedBy.name}; nothing new was created.`),
  ].join(' ');
}

const POLL_MS = 100;

/** The saves as they stand once each is done, or when the time is up (those still running stay pending). */
async function outcomes(save: SaveDeps, tenantId: string, queued: Association[], ms: number): Promise<Association[]> {
  const until = Date.now() + ms;
  let current = queued;
  for (;;) {
    current = await Promise.all(current.map(async (a) => (await save.associations.byId(tenantId, a.id)) ?? a));
    if (current.every((a) => a.status !== 'pending' && a.status !== 'saving') || Date.now() + POLL_MS > until) {
      return current;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The author's address from the directory (Teams sends only their id), looked up briefly. */
async function authorAddressOf(deps: SubmitSaveDeps, payload: MessagePayload, turn: TurnInfo): Promise<string> {
  const userId = payload.from?.user?.id ?? '';
  const fallback = userId !== '' && userId === turn.user.id && turn.user.upn ? turn.user.upn : UNKNOWN_AUTHOR;
  if (userId === '') return fallback;
  const lookup = deps.save.mail.findUser(userId).catch((err: unknown) => {
    deps.log.info({ err }, 'could not look up the message author; saving without their address');
    return null;
  });
  const found = await withinBudget(lookup, AUTHOR_LOOKUP_MS, null, (err) =>
    deps.log.info({ err }, 'late author lookup failed'),
  );
  const user = found.value;
  return user?.mail || user?.userPrincipalName || fallback;
}
