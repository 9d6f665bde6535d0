import { ERROR_CATALOGUE } from './error-catalogue.js';
import { type MailroomError, toMailroomError } from './errors.js';

/** A service's own words, quoted on a card: one sentence at most 200 characters, without its closing stop. */
function quoted(detail: string): string {
  const words = detail.trim().replace(/\.$/, '');
  return words.length > 200 ? `${words.slice(0, 199)}…` : words;
}

export interface ErrorWords {
  /** What happened. */
  title: string;
  /** What the person can do next ('' when nothing). */
  next: string;
}

/**
 * The words a person reads for an error, from its code: a service's technical answer never reaches them (it is in
 * the log line). A refusal written for people keeps its own message and next step.
 */
export function errorWords(raw: unknown): ErrorWords {
  const err = toMailroomError(raw);
  const entry = ERROR_CATALOGUE[err.code];
  if (entry.words === null) {
    // Some refusals already end with their next step; it is said once.
    const step = err.remedy.trim().replace(/\.$/, '');
    return { title: err.message, next: step && err.message.includes(step) ? '' : err.remedy };
  }
  const detail = err.detail ? quoted(err.detail) : '';
  return { title: detail ? entry.words.replace(/\.$/, `: ${detail}.`) : entry.words, next: entry.next };
}

/** The words for a card's line, a dialog or the tab: what happened, then what to do. Never a stack trace. */
export function personWords(err: unknown): string {
  const { title, next } = errorWords(err);
  return [title, next].filter((s) => s.trim() !== '').join(' ');
}

/** What the admin does: the error's own fix when it names one, else the catalogue's. */
export function adminFix(err: MailroomError): string {
  return err.remedy || ERROR_CATALOGUE[err.code].fix;
}
