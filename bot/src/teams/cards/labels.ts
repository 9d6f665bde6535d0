import type { MailboxKind } from '../../core/email.js';

/** The badge a mailbox wears on cards, from Graph's mailboxSettings userPurpose. */
export function mailboxKindLabel(kind: MailboxKind): string {
  switch (kind) {
    case 'shared':
      return 'Shared';
    case 'delegate':
      return 'Delegate';
    case 'user':
      return 'User';
    case 'room':
      return 'Room';
    case 'equipment':
      return 'Equipment';
    case 'unknown':
      return 'Mailbox';
  }
}

const FORMATS = {
  time: { hour: '2-digit', minute: '2-digit' },
  dateTime: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  },
  date: { day: 'numeric', month: 'short', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * One formatter per format and zone, built on first use: building an Intl.DateTimeFormat costs far more than
 * formatting with it, and every card shows a few dates. Teams' zones are few, so the map stays small.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(format: keyof typeof FORMATS, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${format}|${timeZone ?? 'UTC'}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { ...FORMATS[format], timeZone: timeZone ?? 'UTC' });
    } catch (err) {
      // An unknown zone from a profile should not break a card; UTC is shown with its name, so nobody is misled.
      if (!(err instanceof RangeError)) throw err;
      f = formatter(format, 'UTC');
    }
    formatters.set(key, f);
  }
  return f;
}

/** "10:32" (24-hour), in the team's time zone. */
export function formatTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return formatter('time', timeZone).format(date);
}

/** "Tue, 14 Jan 2025, 10:32 UTC". */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown time';
  return formatter('dateTime', timeZone).format(date);
}

/** "14 Jan 2025". */
export function formatDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown date';
  return formatter('date', timeZone).format(date);
}

/**
 * A link target for a card: only http(s), and with the characters that would end a Markdown link target encoded.
 * Anything else becomes null, and the card shows the text without a link.
 */
export function safeUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    if (err instanceof TypeError) return null;
    throw err;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}
