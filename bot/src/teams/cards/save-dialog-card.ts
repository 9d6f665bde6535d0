import type { RecordRef } from '../../core/ports.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import { NO_RECORD_CHOICE, recordChoiceValue } from '../actions.js';
import { cardText, escapeMarkdown, plainPreview } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './save-dialog-card.json' with { type: 'json' };

export interface SaveDialogInput {
  /** What will be saved: one of Mailroom's emails, or the Teams message itself. */
  subject: { kind: 'email'; emailId: string; subject: string; from: string } | { kind: 'message'; author: string };
  /** A short plain excerpt of the message, to show which one was picked. */
  excerpt: string;
  /** Records offered before anyone types (an email's suggestions); the typeahead finds the rest. */
  suggestions: Array<RecordRef & { reason?: string }>;
}

/** Teams shows at most 15 options in a typeahead. */
const MAX_CHOICES = 15;

/**
 * The "Save to NetSuite" dialog: a record picker with typeahead (served by the `netsuite.records` search
 * route) and a Save button. An email's id travels in the Save button's data, so the save does not depend on
 * Teams sending the message again.
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/dynamic-search
 */
export function saveDialogCard(input: SaveDialogInput): CardJson {
  const s = input.subject;
  const choices = input.suggestions.slice(0, MAX_CHOICES).map((r) => ({
    // Choice titles are plain text (no Markdown), so they are only flattened and cut.
    title: plainPreview(`${r.name} (${recordTypeLabel(r.type)})${r.reason ? ` · ${r.reason}` : ''}`, 150),
    value: recordChoiceValue(r),
  }));
  const none = choices.length === 0;
  return expandTemplate(template, {
    heading: s.kind === 'email' ? 'Save this email to NetSuite' : 'Save this message to NetSuite',
    what:
      s.kind === 'email'
        ? `${cardText(s.subject || '(no subject)', 200)}, from ${cardText(s.from, 200)}. It is saved once per record, however many people save it.`
        : `The message by ${cardText(s.author, 100)}, with its time and a link back to it, becomes a NetSuite message on each record you pick.`,
    hasExcerpt: input.excerpt.trim() !== '',
    excerpt: escapeMarkdown(plainPreview(input.excerpt, 300)),
    placeholder: 'Type a name, email or number to search NetSuite',
    // The renderer rejects a ChoiceSet without choices, typeahead or not; this one is ignored on save.
    choices: none ? [{ title: 'Type a name, email or number to search', value: NO_RECORD_CHOICE }] : choices,
    hasNote: none,
    note: 'Start typing to find customers, contacts, cases, opportunities and transactions.',
    emailId: s.kind === 'email' ? s.emailId : '',
  });
}
