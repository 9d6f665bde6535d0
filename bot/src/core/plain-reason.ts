import type { MailroomError } from './errors.js';

/** NetSuite's own words from a mapped error ("NetSuite create message failed (400 X): <words>"). */
function netsuiteWords(err: MailroomError): string {
  const at = err.message.indexOf('): ');
  const words = (at >= 0 ? err.message.slice(at + 3) : err.message).trim().replace(/\.$/, '');
  return words.length > 200 ? `${words.slice(0, 199)}…` : words;
}

/**
 * NetSuite failures in words for the people on a card or in a dialog: what happened and what they can do. The
 * admin's fuller remedy and NetSuite's whole answer are in the log line of the job or request that failed.
 */
const NETSUITE: Partial<Record<string, (err: MailroomError) => string>> = {
  netsuite_auth_failed: () =>
    'NetSuite refused Mailroom’s sign-in. Ask your Mailroom admin to check the NetSuite integration; its log says why.',
  netsuite_permission: () =>
    'Mailroom’s NetSuite role is not allowed to do this. Ask your Mailroom admin to add the permission (admin guide, step 4).',
  netsuite_not_found: () => 'That NetSuite record is gone, or Mailroom’s role cannot see it. Pick another record.',
  netsuite_unavailable: () => 'NetSuite is not answering right now. Mailroom keeps trying; nothing is lost.',
  netsuite_concurrency_limit: () => 'NetSuite is busy. Mailroom keeps trying; nothing is lost.',
  netsuite_validation: (err) =>
    `NetSuite refused it: ${netsuiteWords(err)}. Pick another record, or fix it in NetSuite and Retry.`,
  netsuite_error: () =>
    'NetSuite answered unexpectedly. Retry; if it happens again, ask your Mailroom admin to check the log.',
};

/** The words a card shows for a failure: what went wrong, then what to do. Never a stack trace. */
export function plainReason(err: MailroomError): string {
  if (err.code === 'internal') return 'Something unexpected went wrong. Mailroom will keep trying; you can also Retry.';
  const netsuite = NETSUITE[err.code];
  if (netsuite) return netsuite(err);
  return [err.message, err.remedy].filter((s) => s.trim() !== '').join(' ');
}
