import { CardFactory, type TaskModuleTaskInfo } from 'botbuilder';
import type { EmailStore, MailboxLookup, RecordSuggestion } from '../../core/ports.js';
import { saveDialogCard } from '../cards/save-dialog-card.js';
import { checkEmailInTeam } from '../email-team.js';
import type { TurnInfo } from '../turn-info.js';
import { authorOf, emailIdOnCard, messagePayloadOf, plainTextOf } from './message-payload.js';

export interface SaveDialogDeps {
  emails: Pick<EmailStore, 'byId' | 'suggestions'>;
  mailboxes: MailboxLookup;
  records: { configured: boolean; setupRemedy: string };
}

/**
 * Opens the "Save to NetSuite" dialog for the message the action was started on. On one of Mailroom's email
 * cards the dialog is about that email and offers its suggestions; on any other message it is about the
 * message itself. A string answer is shown as a message in place of the dialog.
 */
export async function openSaveDialog(
  deps: SaveDialogDeps,
  turn: TurnInfo,
  value: unknown,
): Promise<TaskModuleTaskInfo | string> {
  if (!deps.records.configured) return `NetSuite is not connected yet. ${deps.records.setupRemedy}`;
  const payload = messagePayloadOf(value);
  if (!payload) return 'Teams did not send the message. Start "Save to NetSuite" from the message\'s "…" menu.';
  const emailId = emailIdOnCard(payload);
  const email = emailId ? await deps.emails.byId(turn.tenantId, emailId) : null;
  let card: ReturnType<typeof saveDialogCard>;
  if (email) {
    await checkEmailInTeam(deps.mailboxes, turn, email);
    const suggestions = await deps.emails.suggestions(turn.tenantId, email.id);
    const items: RecordSuggestion[] = Array.isArray(suggestions) ? suggestions : [];
    card = saveDialogCard({
      subject: { kind: 'email', emailId: email.id, subject: email.subject, from: email.from.address },
      excerpt: email.bodyPreview,
      suggestions: items,
    });
  } else {
    card = saveDialogCard({
      subject: { kind: 'message', author: authorOf(payload) },
      excerpt: plainTextOf(payload),
      suggestions: [],
    });
  }
  return { title: 'Save to NetSuite', height: 'medium', width: 'medium', card: CardFactory.adaptiveCard(card) };
}
