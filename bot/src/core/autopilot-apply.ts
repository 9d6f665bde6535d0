import type { Logger } from 'pino';
import { planAutopilot } from './autopilot-plan.js';
import type { AutopilotRule, MatchableEmail } from './autopilot-rules.js';
import type { Email } from './email.js';
import { JobKind } from './job-kinds.js';
import type { AutopilotLicense } from './licenses-messages.js';
import type { RecordRef, RecordService, WorkPorts } from './ports.js';
import { refreshCards, requestSaves, type SaveDeps } from './save.js';

/** The card line for a mailbox-rule email whose sender NetSuite does not know. */
export const NO_MATCH_NOTE = 'No NetSuite match, save it by hand';

export interface AutopilotApplyDeps {
  save: SaveDeps;
  rules: { findMatching(tenantId: string, email: MatchableEmail): Promise<AutopilotRule[]> };
  licenses: { autopilotLicense(tenantId: string, subject: string): Promise<AutopilotLicense> };
  records: Pick<RecordService, 'configured' | 'matchSender'>;
}

export type AutopilotOutcome = 'no-rule' | 'paused' | 'saved' | 'no-match' | 'not-configured' | 'gone';

/**
 * ingest's onNewEmail hook: a durable job for a new email that an active rule could match, so a NetSuite lookup
 * never slows ingest down and a crash in between loses nothing. The rules are read in the email's own unit of work:
 * an email that no rule matches as it is stored gets no job (most mail, in a mailbox without rules), and a rule
 * turned on later applies to the mail that arrives after it. Drafts never reach the hook; outgoing mail does
 * (thread and address rules).
 */
export function autopilotHook() {
  return async (email: Email, tx: Pick<WorkPorts, 'rules' | 'jobs'>, log: Logger): Promise<void> => {
    if ((await tx.rules.findMatching(email.tenantId, email)).length === 0) return;
    await tx.jobs.enqueue({
      tenantId: email.tenantId,
      kind: JobKind.autopilotApply,
      payload: { emailId: email.id },
      dedupeKey: `${JobKind.autopilotApply}:${email.id}`,
    });
    log.debug('autopilot check queued');
  };
}

/** The sender a mailbox rule looks up in NetSuite: the other party, whichever way the mail went. */
function counterpart(email: Email): string {
  return (email.isOutgoing ? email.to[0]?.address : email.from.address)?.trim().toLowerCase() ?? '';
}

/**
 * The autopilot job: thread ▸ address ▸ mailbox (matchRules), the license of the mailbox, then saves through the
 * same idempotent save jobs as a click, on behalf of the rule's owner. A second copy of the same message in
 * another watched mailbox lands on the same (internetMessageId, record) key and creates nothing new.
 */
export async function applyAutopilot(
  deps: AutopilotApplyDeps,
  tenantId: string,
  emailId: string,
  log: Logger,
): Promise<AutopilotOutcome> {
  const email = await deps.save.emails.byId(tenantId, emailId);
  const mailbox = email ? await deps.save.mailboxes.byId(tenantId, email.mailboxId) : null;
  if (!email || !mailbox) return 'gone';
  const rules = await deps.rules.findMatching(tenantId, email);
  if (rules.length === 0) return 'no-rule';
  const plan = planAutopilot(email, rules, await deps.licenses.autopilotLicense(tenantId, mailbox.address));
  if (!plan) return 'no-rule';
  const rlog = log.child({ ruleId: plan.rule.id, ruleKind: plan.rule.kind });
  if (plan.paused) {
    // The card computes the same plan and says why; the rule is kept for when the license is fixed.
    rlog.info({ reason: plan.paused }, 'autopilot matched but is paused');
    return 'paused';
  }
  if (!deps.records.configured) {
    rlog.warn('autopilot matched but NetSuite is not set up');
    return 'not-configured';
  }
  let targets: RecordRef[];
  if (plan.targets === 'sender-match') {
    const sender = counterpart(email);
    const match = sender === '' ? null : await deps.records.matchSender(sender);
    if (!match) {
      await deps.save.emails.setAutopilotNote(tenantId, email.id, NO_MATCH_NOTE);
      await refreshCards(deps.save, tenantId, email.internetMessageId);
      rlog.info({ sender }, 'no NetSuite match for the sender; left for a person');
      return 'no-match';
    }
    targets = [match];
  } else {
    targets = plan.targets;
  }
  const result = await requestSaves(
    deps.save,
    {
      tenantId,
      emailId: email.id,
      records: targets,
      actor: { id: plan.rule.ownerId, name: plan.rule.ownerName },
      mode: 'autopilot',
      ruleId: plan.rule.id,
    },
    rlog,
  );
  rlog.info({ queued: result.queued.length, existing: result.existing.length }, 'autopilot applied');
  return 'saved';
}
