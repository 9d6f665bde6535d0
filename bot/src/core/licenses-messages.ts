import { MailroomError } from './errors.js';

/** The license as a person sees it. */
export interface LicenseStatus {
  status: 'licensed' | 'unlicensed' | 'expired' | 'invalid';
  seats: number;
  used: number;
  /** ISO-8601; null when there is no readable key. */
  expiresAt: string | null;
  /** Why the key is not usable, in words (absent when licensed). */
  reason?: string;
}

/** The license for one mailbox or person, as autopilot sees it. */
export interface AutopilotLicense extends LicenseStatus {
  /** The lower-cased address that needs the seat. */
  subject: string;
  seated: boolean;
}

const SET_KEY = 'Ask your Mailroom administrator to set LICENSE_KEY (and LICENSE_PUBLIC_KEY) and restart Mailroom.';

/** Why autopilot cannot run for `subject`, or null when it can. Cards show this; commands throw it. */
export function licenseProblem(license: LicenseStatus, subject: string, seated: boolean): MailroomError | null {
  if (license.status === 'unlicensed') {
    return new MailroomError('license_missing', 'Mailroom has no license key, so autopilot is off.', {
      remedy: SET_KEY,
    });
  }
  if (license.status === 'expired') {
    const day = license.expiresAt?.slice(0, 10) ?? 'an earlier date';
    return new MailroomError(
      'license_expired',
      `The Mailroom license expired on ${day}, so autopilot is paused. Rules are kept and one-time saves still work.`,
      { remedy: 'Ask your Mailroom administrator to renew LICENSE_KEY.' },
    );
  }
  if (license.status === 'invalid') {
    return new MailroomError(
      'license_invalid',
      `The Mailroom license key is not valid (${license.reason ?? 'unreadable'}), so autopilot is paused. Rules are kept and one-time saves still work.`,
      { remedy: SET_KEY },
    );
  }
  if (seated) return null;
  if (license.used >= license.seats) {
    return new MailroomError(
      'license_missing',
      `${subject} has no Mailroom license, and all ${license.seats} seats are in use. Ask a Mailroom admin to free one with /license unassign <address>, then run /license assign ${subject} (${license.used} of ${license.seats} seats in use).`,
      { remedy: `Free a seat, then run /license assign ${subject}.` },
    );
  }
  return new MailroomError(
    'license_missing',
    `${subject} has no Mailroom license. Ask a Mailroom admin to run /license assign ${subject} (${license.used} of ${license.seats} seats in use).`,
    { remedy: `Ask a Mailroom admin to run /license assign ${subject}.` },
  );
}

export function poolFull(license: LicenseStatus, subject: string): MailroomError {
  return new MailroomError(
    'license_pool_full',
    `All ${license.seats} Mailroom seats are in use (${license.used} of ${license.seats}), so ${subject} cannot get one.`,
    { remedy: 'Free a seat with /license unassign <address>, or get a license with more seats.' },
  );
}

export function adminsOnly(command: string): MailroomError {
  return new MailroomError('forbidden', `Only a Mailroom admin can run ${command}.`, {
    remedy: 'Ask a Mailroom admin (listed in MAILROOM_ADMINS, or an owner of the team the mailbox posts to) to run it.',
  });
}

/** The line a card shows when a rule matched but the license holds autopilot back; null when it may run. */
export function pausedReason(license: LicenseStatus, subject: string, seated: boolean): string | null {
  const still = 'The rule is kept, and one-time saves still work.';
  switch (license.status) {
    case 'unlicensed':
      return `Autopilot is paused: Mailroom has no license key. Ask your Mailroom administrator to set LICENSE_KEY. ${still}`;
    case 'expired':
      return `Autopilot is paused: the Mailroom license expired on ${license.expiresAt?.slice(0, 10) ?? 'an earlier date'}. Ask your Mailroom administrator to renew it. ${still}`;
    case 'invalid':
      return `Autopilot is paused: the Mailroom license key is not valid (${license.reason ?? 'unreadable'}). Ask your Mailroom administrator to check LICENSE_KEY. ${still}`;
    case 'licensed':
      if (seated) return null;
      return `Autopilot is paused: ${subject} has no Mailroom license. Ask a Mailroom admin to run /license assign ${subject}. ${still}`;
  }
}
