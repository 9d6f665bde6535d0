import { recordTypeLabel } from '../../core/record-type-label.js';
import { cardText, plainPreview } from './card-text.js';
import type { CardAssociation, EmailCardView } from './email-card-view.js';
import { formatTime, safeUrl } from './labels.js';

/** One line of the card's status area: Markdown built only from escaped text and our own links. */
export interface StatusLine {
  text: string;
  color: 'default' | 'good' | 'warning' | 'attention' | 'accent';
}

/** Everyone sees at most this many save lines; older ones are summed up, to keep the card small. */
const MAX_ASSOCIATION_LINES = 12;

function recordLink(a: CardAssociation): string {
  const name = cardText(a.recordName, 120);
  const url = safeUrl(a.recordUrl);
  return url === null ? name : `[${name}](${url})`;
}

function associationLines(a: CardAssociation, timeZone: string | undefined): StatusLine[] {
  const record = recordLink(a);
  const type = recordTypeLabel(a.recordType);
  const who = cardText(a.savedByName, 80);
  const time = formatTime(a.savedAt, timeZone);
  const rule = a.ruleOwnerName === undefined ? '' : ` (rule by ${cardText(a.ruleOwnerName, 80)})`;
  const done =
    a.mode === 'autopilot'
      ? `Auto-saved to ${record} by autopilot${rule} · ${time}`
      : `Saved to ${record} (${type}) by ${who} · ${time}`;
  switch (a.status) {
    case 'saved':
      return [{ text: done, color: 'good' }];
    case 'partial':
      return [
        { text: done, color: 'good' },
        {
          text: `Some attachments were not saved: ${cardText(a.attachmentNote ?? 'see the record', 300)}`,
          color: 'warning',
        },
      ];
    case 'pending':
      return [{ text: `Saving to ${record} (${type})…`, color: 'default' }];
    case 'failed':
      return [
        {
          text: `Save failed: ${cardText(a.errorMessage ?? 'NetSuite did not accept it', 300)} · ${record} (${type})`,
          color: 'attention',
        },
      ];
  }
}

function autopilotLine(view: EmailCardView): StatusLine | null {
  const ap = view.autopilot;
  if (ap === null) return null;
  if (ap.state === 'paused') {
    // The reason is a whole sentence that may already say so ("Autopilot is paused: …"); say it once.
    const reason = ap.reason.replace(/^Autopilot is paused:\s*/i, '');
    return { text: `Autopilot is paused: ${cardText(reason, 300)}`, color: 'warning' };
  }
  const scope = { address: 'this sender', thread: 'this thread', mailbox: 'this mailbox' }[ap.ruleKind];
  const off =
    ap.ruleKind === 'mailbox'
      ? 'turn it off with /autopilot off'
      : 'its owner, a team owner or an admin can turn it off in the Dashboard tab';
  return { text: `Autopilot is on for ${scope} (rule by ${cardText(ap.ownerName, 80)}; ${off})`, color: 'accent' };
}

/** The status area, for everyone: saves, the claim and autopilot. */
export function statusLines(view: EmailCardView): StatusLine[] {
  const lines: StatusLine[] = [];
  const shown = view.associations.slice(0, MAX_ASSOCIATION_LINES);
  for (const a of shown) lines.push(...associationLines(a, view.timeZone));
  const hidden = view.associations.length - shown.length;
  if (hidden > 0) lines.push({ text: `…and ${hidden} more saves (see the Dashboard)`, color: 'default' });
  if (view.claim !== null) {
    lines.push({ text: `Claimed by ${cardText(view.claim.userName, 80)} · replying privately`, color: 'accent' });
  }
  const ap = autopilotLine(view);
  if (ap !== null) lines.push(ap);
  // "No NetSuite match, save it by hand" is moot once someone has.
  if (view.autopilotNote !== undefined && view.associations.length === 0) {
    lines.push({ text: cardText(view.autopilotNote, 300), color: 'warning' });
  }
  return lines;
}

/** Retry buttons for failed saves, each carrying its association id. */
export function retryActions(view: EmailCardView): Array<{ title: string; associationId: string }> {
  return view.associations
    .filter((a) => a.status === 'failed' || a.canRetry === true)
    .slice(0, 5)
    .map((a) => ({ title: `Retry ${plainPreview(a.recordName, 40)}`, associationId: a.id }));
}
