import type { MailroomError } from './errors.js';

/** The words a card shows for a failure: what went wrong, then what to do. Never a stack trace. */
export function plainReason(err: MailroomError): string {
  if (err.code === 'internal') return 'Something unexpected went wrong. Mailroom will keep trying; you can also Retry.';
  return [err.message, err.remedy].filter((s) => s.trim() !== '').join(' ');
}
