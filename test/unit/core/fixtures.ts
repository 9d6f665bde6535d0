import type { AutopilotRule } from '../../../bot/src/core/autopilot-rules.js';
import type { Email } from '../../../bot/src/core/email.js';
import type { AutopilotLicense } from '../../../bot/src/core/licenses.js';

/** An email as ingest stores it: Ana at Fabrikam writes to support@contoso.com. Override what a test is about. */
export function email(overrides: Partial<Email> = {}): Email {
  return {
    id: 'e-1',
    tenantId: 't1',
    mailboxId: 'mbx-support',
    graphMessageId: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AuY0Xp6',
    internetMessageId: '<CAF=abc123@mail.fabrikam.com>',
    conversationId: 'AAQkAGI2TG93AAA=',
    subject: 'Order 1042 is late',
    from: { name: 'Ana Bell', address: 'ana@fabrikam.com' },
    to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
    cc: [],
    receivedAt: '2026-11-22T09:59:58Z',
    sentAt: '2026-11-22T09:59:55Z',
    bodyPreview: 'Hi, order 1042 has not arrived yet.',
    webLink:
      'https://outlook.office365.com/owa/?ItemID=AAkALgAAAAAAHYQDEapmEc2byACqAC&exvsurl=1&viewmodel=ReadMessageItem',
    isDraft: false,
    isOutgoing: false,
    hasAttachments: false,
    createdAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
}

export function rule(overrides: Partial<AutopilotRule> = {}): AutopilotRule {
  return {
    id: 'r-1',
    tenantId: 't1',
    mailboxId: 'mbx-support',
    mailboxAddress: 'support@contoso.com',
    kind: 'mailbox',
    matchValue: '',
    targets: [],
    ownerId: 'aad-ana',
    ownerName: 'Ana',
    createdAt: '2026-11-01T08:00:00.000Z',
    active: true,
    turnedOffBy: null,
    turnedOffAt: null,
    ...overrides,
  };
}

export function license(overrides: Partial<AutopilotLicense> = {}): AutopilotLicense {
  return {
    status: 'licensed',
    seats: 5,
    used: 1,
    expiresAt: '2027-11-22T10:00:00.000Z',
    subject: 'support@contoso.com',
    seated: true,
    ...overrides,
  };
}

export const ACME = { type: 'customer' as const, id: '1042', name: 'ACME Corp' };
export const CASE = { type: 'supportcase' as const, id: '77', name: 'Case 77: late order' };
