import type { Logger } from 'pino';
import { personWords } from '../../core/error-words.js';
import { MailroomError, toMailroomError } from '../../core/errors.js';
import type { RecordRef, SaveEmailResult } from '../../core/ports.js';
import { requestSaves, type SaveDeps } from '../../core/save.js';
import type { NetSuiteRecords } from '../../netsuite/index.js';
import { type RecordKey, verbData } from '../actions.js';
import { recordTypeLabel } from '../cards/labels.js';
import { nameRecords } from '../name-records.js';
import type { TurnInfo } from '../turn-info.js';
import { emailIdOnCard, type MessagePayload, messagePayloadOf } from './message-payload.js';
import { teamsMessageInput, UNKNOWN_AUTHOR } from './teams-message-input.js';
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
 * button (one durable job per email and record); any other message is saved right away as a NetSuite message,
 * under an externalId derived from the message, so saving it twice creates nothing new.
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
  const now = deps.save.clock();
  const outcomes = await Promise.all(
    records.map(async (record) => {
      const work = deps.records.saveEmail(
        teamsMessageInput(turn.tenantId, conversationId, message, record, now, authorAddress),
      );
      try {
        const r = await withinBudget<SaveEmailResult | null>(work, remaining(started, deps.budgetMs), null, (err) =>
          deps.log.warn({ err, record: `${record.type}:${record.id}` }, 'Teams message save failed after the answer'),
        );
        if (!r.value) {
          return `Still saving to ${label(record)}: NetSuite is slow. Check the record in a minute; saving again will not make a copy.`;
        }
        deps.log.info({ record: `${record.type}:${record.id}`, created: r.value.created }, 'Teams message saved');
        return r.value.created
          ? `Saved the message to ${label(record)}.`
          : `Already saved to ${label(record)}; nothing new was created.`;
      } catch (err) {
        const e = toMailroomError(err);
        deps.log.warn({ err, record: `${record.type}:${record.id}` }, 'Teams message save failed');
        return `Could not save to ${label(record)}: ${personWords(e)} Try again; it will not be saved twice.`;
      }
    }),
  );
  return outcomes.join(' ');
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
