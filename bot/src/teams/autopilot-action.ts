import type { Logger } from 'pino';
import type { AutopilotService } from '../core/autopilot.js';
import { MailroomError } from '../core/errors.js';
import { refreshCards, requestSaves, type SaveDeps } from '../core/save.js';
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
    if (data.records.length === 0) return 'Pick at least one record first, or type to search NetSuite.';
    const email = await deps.view.emails.byId(turn.tenantId, data.emailId);
    const mailbox = email ? await deps.view.mailboxes.byId(turn.tenantId, email.mailboxId) : null;
    if (!email || !mailbox) return 'This email is no longer in Mailroom.';

    // For mail the mailbox sent, "this sender" means the person it was sent to.
    const sender = (email.isOutgoing ? email.to[0]?.address : email.from.address) ?? '';
    if (data.autopilotKind === AutopilotKind.sender && sender.trim() === '') {
      return 'This email has no sender address to put on autopilot. Choose This thread instead.';
    }
    const suggestions = await deps.view.emails.suggestions(turn.tenantId, email.id);
    const records = await nameRecords(deps.records, data.records, Array.isArray(suggestions) ? suggestions : []);
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
      });
    } catch (err) {
      if (err instanceof MailroomError && LICENSE_CODES.has(err.code)) {
        // Some refusals already end with their next step; the others get it added.
        const step = err.remedy?.replace(/\.$/, '') ?? '';
        return step && !err.message.includes(step) ? `${err.message} ${err.remedy}` : err.message;
      }
      throw err;
    }
    log.info({ ruleId: change.rule.id, kind: change.rule.kind, changed: change.changed }, 'autopilot from a card');
    const out = await requestSaves(
      deps.save,
      { tenantId: turn.tenantId, emailId: email.id, records, actor, mode: 'autopilot', ruleId: change.rule.id },
      log,
    );
    // The rule shows on every copy's card even when nothing new was queued (requestSaves refreshes them otherwise).
    if (out.queued.length === 0) await refreshCards(deps.save, turn.tenantId, email.internetMessageId);
    const view = await loadCardView(deps.view, turn.tenantId, email.id);
    return view ? emailCard(view, { userId: turn.user.id }) : change.message;
  };
}
