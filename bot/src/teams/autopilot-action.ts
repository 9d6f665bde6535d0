import type { Logger } from 'pino';
import type { AutopilotService } from '../core/autopilot.js';
import { personWords } from '../core/error-words.js';
import { MailroomError } from '../core/errors.js';
import type { RecordRef } from '../core/ports.js';
import type { SaveDeps } from '../core/save.js';
import type { NetSuiteRecords } from '../netsuite/index.js';
import { AutopilotKind, parseVerbData, Verb } from './actions.js';
import { type CardViewDeps, loadCardView } from './card-view.js';
import { emailCard } from './cards/email-card.js';
import type { CardJson } from './cards/expand-template.js';
import { nameRecords } from './name-records.js';
import type { TurnInfo } from './turn-info.js';

export interface AutopilotActionDeps {
  save: SaveDeps;
  view: CardViewDeps;
  autopilot: AutopilotService;
  records: NetSuiteRecords;
}

/** License refusals go back to the clicker as the words alone: they already say what to do. */
const LICENSE_CODES = new Set(['license_missing', 'license_expired', 'license_invalid', 'license_pool_full']);

/**
 * The card's Autopilot button: "this sender" is an address rule (mail to or from that address in this mailbox),
 * "this thread" a conversationId rule. Both save to the picked records, and save this email now too.
 */
export function autopilotAction(deps: AutopilotActionDeps) {
  return async (turn: TurnInfo, raw: unknown, log: Logger): Promise<CardJson | string> => {
    const data = parseVerbData(Verb.autopilot, raw);
    if (!deps.records.configured)
      return `Autopilot saves to NetSuite, which is not connected yet. ${deps.records.setupRemedy}`;
    const email = await deps.view.emails.byId(turn.tenantId, data.emailId);
    const mailbox = email ? await deps.view.mailboxes.byId(turn.tenantId, email.mailboxId) : null;
    if (!email || !mailbox) return 'This email is no longer in Mailroom.';

    // Nothing picked on a card already saved: autopilot goes to the records this email was saved to.
    const saved = data.records.length > 0 ? [] : await savedRecords(deps, turn.tenantId, email.internetMessageId);
    if (data.records.length === 0 && saved.length === 0) {
      // Everything still missing in one answer: the records, and the seat when there is none either.
      const seat = await seatProblem(deps, turn.tenantId, mailbox.address);
      const pick = 'Pick at least one record first, or type to search NetSuite.';
      return seat ? `${pick} Autopilot also needs a license: ${seat}` : pick;
    }

    // For mail the mailbox sent, "this sender" means the person it was sent to.
    const sender = (email.isOutgoing ? email.to[0]?.address : email.from.address) ?? '';
    if (data.autopilotKind === AutopilotKind.sender && sender.trim() === '') {
      return 'This email has no sender address to put on autopilot. Choose This thread instead.';
    }
    const suggestions = await deps.view.emails.suggestions(turn.tenantId, email.id);
    const records =
      saved.length > 0
        ? saved
        : await nameRecords(deps.records, data.records, Array.isArray(suggestions) ? suggestions : []);
    const actor = { id: turn.user.id, name: turn.user.name };
    let change: Awaited<ReturnType<AutopilotService['turnOnRule']>>;
    try {
      change = await deps.autopilot.turnOnRule({
        tenantId: turn.tenantId,
        kind: data.autopilotKind === AutopilotKind.sender ? 'address' : 'thread',
        mailbox: { id: mailbox.id, address: mailbox.address },
        matchValue: data.autopilotKind === AutopilotKind.sender ? sender : email.conversationId,
        targets: records,
        owner: actor,
        applyTo: email,
      });
    } catch (err) {
      const words = licenseWords(err);
      if (words) return words;
      throw err;
    }
    // The rule, this email's saves and its cards' refreshes were one unit of work.
    log.info(
      { ruleId: change.rule.id, kind: change.rule.kind, changed: change.changed, queued: change.saves?.queued.length },
      'autopilot from a card',
    );
    const view = await loadCardView(deps.view, turn.tenantId, email.id);
    return view ? emailCard(view, { userId: turn.user.id }) : change.message;
  };
}

/** A license refusal's words with its next step; null for any other error. */
function licenseWords(err: unknown): string | null {
  if (!(err instanceof MailroomError && LICENSE_CODES.has(err.code))) return null;
  return personWords(err);
}

async function seatProblem(deps: AutopilotActionDeps, tenantId: string, address: string): Promise<string | null> {
  try {
    await deps.view.licenses.requireSeat(tenantId, address);
    return null;
  } catch (err) {
    const words = licenseWords(err);
    if (words) return words;
    throw err;
  }
}

/** The records this message is saved to (or being saved to), each once; failed saves do not count. */
async function savedRecords(deps: AutopilotActionDeps, tenantId: string, internetMessageId: string) {
  const saves = await deps.view.associations.forMessage(tenantId, internetMessageId);
  const out: RecordRef[] = [];
  for (const a of saves) {
    if (a.status === 'failed') continue;
    if (out.some((r) => r.type === a.record.type && r.id === a.record.id)) continue;
    out.push({ type: a.record.type, id: a.record.id, name: a.record.name });
  }
  return out;
}
