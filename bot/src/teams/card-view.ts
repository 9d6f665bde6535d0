import { canRetry } from '../core/associations.js';
import { attachmentNote } from '../core/attachment-note.js';
import { planAutopilot } from '../core/autopilot-plan.js';
import type { Mailbox } from '../core/email.js';
import type { LicenseService } from '../core/licenses.js';
import type { RecordService, RecordSuggestion } from '../core/ports.js';
import type { AssociationRepo } from '../store/repos/associations.js';
import type { ClaimRepo } from '../store/repos/claims.js';
import type { EmailRepo } from '../store/repos/emails.js';
import type { MailboxRepo } from '../store/repos/mailboxes.js';
import type { RuleRepo } from '../store/repos/rules.js';
import type { CardAssociation, CardAutopilot, EmailCardView } from './cards/email-card-view.js';

/** How many of the team's recent records the picker offers besides the email's suggestions. */
const RECENT_RECORDS = 10;

export interface CardViewDeps {
  emails: EmailRepo;
  mailboxes: MailboxRepo;
  associations: AssociationRepo;
  claims: ClaimRepo;
  rules: RuleRepo;
  licenses: LicenseService;
  records: Pick<RecordService, 'configured' | 'setupRemedy' | 'recordUrl'>;
}

/** Everything one email's card shows, read from the store: the card is a pure function of this. */
export async function loadCardView(
  deps: CardViewDeps,
  tenantId: string,
  emailId: string,
): Promise<EmailCardView | null> {
  return (await readCard(deps, tenantId, emailId))?.view ?? null;
}

/** An email's card view, with its mailbox as stored (where the card goes): the card jobs need both. */
export async function readCard(
  deps: CardViewDeps,
  tenantId: string,
  emailId: string,
): Promise<{ view: EmailCardView; mailbox: Mailbox } | null> {
  const row = await deps.emails.withSuggestions(tenantId, emailId);
  if (!row) return null;
  const { email, suggestions } = row;
  const mailbox = await deps.mailboxes.byId(tenantId, email.mailboxId);
  if (!mailbox) return null;
  const [saves, claim, recentRecords] = await Promise.all([
    deps.associations.forMessage(tenantId, email.internetMessageId),
    deps.claims.get(tenantId, email.id),
    deps.associations.recentForMailbox(tenantId, mailbox.id, RECENT_RECORDS),
  ]);
  const ruleNames = new Map<string, string>();
  for (const ruleId of new Set(saves.map((a) => a.ruleId).filter((r): r is string => r !== null))) {
    const rule = await deps.rules.get(tenantId, ruleId);
    if (rule) ruleNames.set(ruleId, rule.ownerName);
  }
  const associations: CardAssociation[] = saves.map((a) => {
    const note = attachmentNote(a.attachments);
    return {
      id: a.id,
      recordType: a.record.type,
      recordName: a.record.name,
      recordUrl: deps.records.recordUrl(a.record),
      savedByName: a.savedBy.name,
      savedAt: a.updatedAt,
      status: a.status === 'saving' ? 'pending' : a.status,
      mode: a.mode,
      ...(a.mode === 'autopilot' ? { ruleOwnerName: ruleNames.get(a.ruleId ?? '') ?? a.savedBy.name } : {}),
      ...(a.errorMessage ? { errorMessage: a.errorMessage } : {}),
      ...(note ? { attachmentNote: note } : {}),
      canRetry: canRetry(a),
    };
  });

  let autopilot: CardAutopilot = null;
  if (deps.records.configured) {
    const rules = await deps.rules.findMatching(tenantId, email);
    if (rules.length > 0) {
      const plan = planAutopilot(email, rules, await deps.licenses.autopilotLicense(tenantId, mailbox.address));
      if (plan?.paused) autopilot = { state: 'paused', reason: plan.paused };
      else if (plan) autopilot = { state: 'on', ruleKind: plan.rule.kind, ownerName: plan.rule.ownerName };
    }
  }

  const view: EmailCardView = {
    email,
    mailbox: { address: mailbox.address, displayName: mailbox.displayName, kind: mailbox.kind },
    associations,
    suggestions: suggestionsState(deps.records.configured, suggestions),
    recentRecords,
    claim: claim
      ? { userId: claim.userId, userName: claim.userName, claimedAt: claim.claimedAt, userMri: claim.userMri }
      : null,
    autopilot,
    ...(email.autopilotNote ? { autopilotNote: email.autopilotNote } : {}),
    netsuite: deps.records.configured ? { configured: true } : { configured: false, remedy: deps.records.setupRemedy },
  };
  return { view, mailbox };
}

function suggestionsState(
  configured: boolean,
  items: RecordSuggestion[] | null | 'failed',
): EmailCardView['suggestions'] {
  if (!configured) return { state: 'unavailable', reason: 'NetSuite is not set up.' };
  if (items === null) return { state: 'loading' };
  if (items === 'failed') return { state: 'unavailable', reason: 'NetSuite did not answer in time.' };
  return { state: 'ready', items };
}
