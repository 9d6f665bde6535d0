import type { Address } from '../../core/email.js';
import { recordTypeLabel } from '../../core/record-type-label.js';
import { NO_RECORD_CHOICE, recordChoiceValue, Verb } from '../actions.js';
import { cardText, escapeMarkdown, plainPreview } from './card-text.js';
import template from './email-card.json' with { type: 'json' };
import { retryActions, statusLines } from './email-card-lines.js';
import type { CardViewer, EmailCardView } from './email-card-view.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { formatDateTime, mailboxKindLabel, safeUrl } from './labels.js';

/** Teams shows at most 15 options in a typeahead; more would only grow the card. */
const MAX_CHOICES = 15;
/** Long recipient lists are summed up so one email cannot push the card past Teams' size limit. */
const MAX_ADDRESSES = 8;
const OUTLOOK_FALLBACK = 'https://outlook.office.com/mail/';
/** refresh.userIds holds at most 60 users. */
const MAX_REFRESH_USERS = 60;

function addressText(a: Address): string {
  const name = a.name.trim();
  if (name === '' || name.toLowerCase() === a.address.toLowerCase()) return a.address;
  return `${name} (${a.address})`;
}

function addressList(list: Address[]): string {
  const shown = list.slice(0, MAX_ADDRESSES).map((a) => cardText(addressText(a), 200));
  const more = list.length - shown.length;
  if (shown.length === 0) return 'nobody';
  return more > 0 ? `${shown.join('; ')} and ${more} more` : shown.join('; ');
}

/** The suggested records first, then the team's recent ones not already suggested, at most MAX_CHOICES. */
function staticChoices(view: EmailCardView, viewer?: CardViewer): Array<{ title: string; value: string }> {
  const s = view.suggestions;
  const suggested = s.state === 'ready' ? s.items : [];
  const choices: Array<{ title: string; value: string }> = [];
  // What this viewer just found comes first: it is what they asked for.
  for (const r of viewer?.found?.records ?? []) {
    const value = recordChoiceValue(r);
    if (choices.length >= MAX_CHOICES || choices.some((c) => c.value === value)) continue;
    choices.push({ title: plainPreview(`${r.name || `#${r.id}`} (${recordTypeLabel(r.type)})`, 150), value });
  }
  const suggestedChoices = suggested.map((item) => ({
    // Choice titles are plain text (no Markdown), so they are only flattened and cut.
    title: plainPreview(`${item.name} (${recordTypeLabel(item.type)}) · ${item.reason}`, 150),
    value: recordChoiceValue(item),
  }));
  for (const c of suggestedChoices) {
    if (choices.length >= MAX_CHOICES) break;
    if (!choices.some((k) => k.value === c.value)) choices.push(c);
  }
  for (const r of view.recentRecords ?? []) {
    if (choices.length >= MAX_CHOICES) break;
    const value = recordChoiceValue(r);
    if (choices.some((c) => c.value === value)) continue;
    const name = r.name.trim() === '' ? `#${r.id}` : r.name;
    choices.push({ title: plainPreview(`${name} (${recordTypeLabel(r.type)}) · saved recently`, 150), value });
  }
  return choices;
}

function suggestionPart(
  view: EmailCardView,
  viewer?: CardViewer,
): {
  choices: Array<{ title: string; value: string }>;
  placeholder: string;
  note: string;
} {
  const s = view.suggestions;
  const choices = staticChoices(view, viewer);
  const hasSuggestions = s.state === 'ready' && s.items.length > 0;
  if (hasSuggestions) return { choices, placeholder: 'Pick records, or type to search NetSuite', note: '' };
  const note =
    s.state === 'loading'
      ? 'Looking up NetSuite matches for the sender and recipients…'
      : s.state === 'unavailable'
        ? `Suggestions are unavailable: ${cardText(s.reason, 200)} Type to search NetSuite instead.`
        : choices.length > 0
          ? 'No NetSuite match for the sender or recipients. Pick a recent record, or type to search NetSuite.'
          : 'No NetSuite match for the sender or recipients. Type to search NetSuite.';
  if (choices.length > 0) return { choices, placeholder: 'Pick a recent record, or type to search NetSuite', note };
  // The renderer rejects a ChoiceSet without choices, typeahead or not; this one tells what to do and is ignored.
  const hint = s.state === 'loading' ? 'Looking up NetSuite matches…' : 'No suggested records';
  return {
    choices: [{ title: `${hint} Type a name, email or number to search`, value: NO_RECORD_CHOICE }],
    placeholder: 'Type a name, email or number to search NetSuite',
    note,
  };
}

function anySavedTitle(view: EmailCardView): string {
  const anySaved = view.associations.some((a) => a.status === 'saved' || a.status === 'partial');
  return anySaved ? 'Save to another record' : 'Save to NetSuite';
}

function guidanceText(view: EmailCardView): string {
  const mailbox = escapeMarkdown(view.mailbox.address);
  return [
    '- Reply from your own address, not from the shared mailbox.',
    `- Do not CC ${mailbox}: the team already has this email.`,
    '- Put the thread on autopilot in your own mailbox with /autopilot on me, so your reply is saved to NetSuite too (it covers all your mail, each saved to its sender’s NetSuite match, and needs a license seat).',
  ].join('\r');
}

/**
 * Teams refreshes a card automatically only for the users its `refresh.userIds` lists, by their Teams user id
 * (MRI, `29:…`), never their AAD object id; a card with no `userIds` at all would be refreshed by every member of a
 * conversation of up to 60. A claim stored before Mailroom kept MRIs gets an empty list: nobody is refreshed
 * automatically, and the claimer can still pick Refresh from the message's menu (which teaches Mailroom their MRI).
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views
 */
function claimerRefresh(emailId: string, claimerMri: string | null): CardJson {
  return {
    action: { type: 'Action.Execute', verb: Verb.refresh, data: { emailId } },
    userIds: (claimerMri ? [claimerMri] : []).slice(0, MAX_REFRESH_USERS),
  };
}

/**
 * The card of one email: the shared card for everyone (no viewer), or the answer to one viewer's click, which
 * is the claimer's own view when `viewer.userId === claim.userId`. Every Action.Execute carries `data.emailId`;
 * a claimed shared card asks the claimer's client to refresh, so the claimer sees their own view. https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views
 */
export function emailCard(view: EmailCardView, viewer?: CardViewer): CardJson {
  const { email, claim } = view;
  const configured = view.netsuite.configured;
  const isClaimer = claim !== null && viewer !== undefined && viewer.userId === claim.userId;
  const lines = statusLines(view);
  const retries = configured ? retryActions(view) : [];
  const suggestions = suggestionPart(view, viewer);
  const found = viewer?.found;
  const foundNote = found
    ? `Found ${found.records.length === 1 ? '1 record' : `${found.records.length} records`} for "${cardText(found.query, 100)}": pick in NetSuite records above, then choose ${anySavedTitle(view)}.`
    : '';
  const preview = escapeMarkdown(plainPreview(email.bodyPreview, 600));

  const notice = viewer?.notice ? cardText(viewer.notice, 400) : '';
  const card = expandTemplate(template, {
    hasNotice: notice !== '',
    notice,
    emailId: email.id,
    webLink: safeUrl(email.webLink) ?? OUTLOOK_FALLBACK,
    mailboxName: cardText(view.mailbox.displayName || view.mailbox.address, 120),
    mailboxAddress: cardText(view.mailbox.address, 200),
    kindBadge: mailboxKindLabel(view.mailbox.kind),
    subject: email.subject.trim() === '' ? '(no subject)' : cardText(email.subject, 300),
    fromText: cardText(addressText(email.from), 200),
    toText: addressList(email.to),
    hasCc: email.cc.length > 0,
    ccText: addressList(email.cc),
    receivedText: formatDateTime(email.receivedAt, view.timeZone),
    hasPreview: preview !== '',
    preview,
    hasLines: lines.length > 0,
    lines,
    isClaimer,
    guidance: guidanceText(view),
    configured,
    remedy: view.netsuite.configured
      ? ''
      : `NetSuite is not connected yet, so saving is off. ${cardText(view.netsuite.remedy, 400)}`,
    choices: suggestions.choices,
    recordsPlaceholder: suggestions.placeholder,
    hasFoundNote: foundNote !== '',
    foundNote,
    hasSuggestionsNote: suggestions.note !== '',
    suggestionsNote: suggestions.note,
    saveTitle: anySavedTitle(view),
    showAutopilot: configured && view.autopilot === null,
    hasRetries: retries.length > 0,
    retries,
    canClaim: claim === null,
  });

  // Only the shared card (no viewer: what the card jobs post) asks for a refresh. A card answered to one viewer's
  // click never carries one: teams-ai would then update the message for everyone with that answer, and from then
  // on with every later answer to the same verb too (it keeps the switch), the claimer's Release view included.
  // Everyone's card is the card jobs' to update.
  if (claim !== null && viewer === undefined) card.refresh = claimerRefresh(email.id, claim.userMri);
  return card;
}
