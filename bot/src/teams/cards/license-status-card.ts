import { cardText } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import { formatDate } from './labels.js';
import template from './license-status-card.json' with { type: 'json' };

export interface LicenseStatus {
  seats: number;
  used: number;
  /** ISO time, or null when there is no key. */
  expiresAt: string | null;
  status: 'valid' | 'expired' | 'invalid' | 'missing';
  /** Mailbox addresses (or people, for `/autopilot on me`) holding a seat. */
  assigned: string[];
}

const statusWords = {
  valid: 'Valid',
  expired: 'Expired',
  invalid: 'Not valid',
  missing: 'No license key',
} as const;

const problems = {
  valid: '',
  expired:
    'The license key has expired, so autopilot is paused. Rules are kept and one-time saves keep working. Ask a Mailroom admin to set a renewed LICENSE_KEY.',
  invalid:
    'The license key could not be verified, so autopilot is paused. Rules are kept and one-time saves keep working. Ask a Mailroom admin to check LICENSE_KEY and LICENSE_PUBLIC_KEY.',
  missing:
    'There is no license key, so autopilot cannot be turned on. One-time saves and claims work without one. Ask a Mailroom admin to set LICENSE_KEY.',
} as const;

const GENERAL_HINT =
  'Admins give a mailbox a seat with /license assign sales@contoso.com, and take it back with /license unassign sales@contoso.com.';

function focusHint(address: string, assigned: string[]): string {
  const a = cardText(address, 200);
  return assigned.some((s) => s.toLowerCase() === address.toLowerCase())
    ? `${a} holds a seat: autopilot can run for it. An admin frees it with /license unassign ${a}.`
    : `${a} holds no seat, so autopilot cannot run for it. A Mailroom admin gives it one with /license assign ${a}.`;
}

/** The answer to /license status [mailbox]; with a mailbox, the last line is about that one. */
export function licenseStatusCard(license: LicenseStatus, opts: { timeZone?: string; focus?: string } = {}): CardJson {
  const assigned = license.assigned.slice(0, 50).map((a) => cardText(a, 200));
  const more = license.assigned.length - assigned.length;
  return expandTemplate(template, {
    statusText: statusWords[license.status],
    seatsText: `${license.used} of ${license.seats} in use`,
    expiresText: license.expiresAt === null ? 'not set' : formatDate(license.expiresAt, opts.timeZone),
    hasProblem: license.status !== 'valid',
    problem: problems[license.status],
    assignedText: assigned.length === 0 ? 'None yet.' : `${assigned.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    hint: opts.focus ? focusHint(opts.focus, license.assigned) : GENERAL_HINT,
  });
}
