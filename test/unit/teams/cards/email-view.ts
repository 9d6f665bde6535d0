import type { Email } from '../../../../bot/src/core/email.js';
import type { CardAssociation, EmailCardView } from '../../../../bot/src/teams/cards/email-card-view.js';

/** An email as ingest stores it, for a message Graph delivered to support@contoso.com. */
export function email(overrides: Partial<Email> = {}): Email {
  return {
    id: 'em_01J9Z6',
    tenantId: 'tn_contoso',
    mailboxId: 'mb_support',
    graphMessageId: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AwsQ0eU3l3kaW9tXlw_1EKQAAAgEMAAAA',
    internetMessageId: '<DM6PR11MB4393.namprd11.prod.outlook.com>',
    conversationId: 'AAQkAGI2TG93AAA=',
    subject: 'Order 1042 is late',
    from: { name: 'Ana Souza', address: 'ana@fabrikam.com' },
    to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
    cc: [],
    receivedAt: '2025-01-14T10:32:00Z',
    sentAt: '2025-01-14T10:31:58Z',
    bodyPreview:
      'Hi team, our order 1042 was due on Monday and has not arrived. Can you check where it is? Thanks, Ana',
    webLink:
      'https://outlook.office365.com/owa/?ItemID=AAkALgAAAAAAHYQDEapmEc2byACqAC%2FEWg0A&exvsurl=1&viewmodel=ReadMessageItem',
    isDraft: false,
    isOutgoing: false,
    hasAttachments: false,
    createdAt: '2025-01-14T10:32:01Z',
    ...overrides,
  };
}

export function association(overrides: Partial<CardAssociation> = {}): CardAssociation {
  return {
    id: 'as_1',
    recordType: 'customer',
    recordName: 'ACME Corp',
    recordUrl: 'https://123456-sb1.app.netsuite.com/app/common/entity/custjob.nl?id=42',
    savedByName: 'Ana',
    savedAt: '2025-01-14T10:32:00Z',
    status: 'saved',
    mode: 'one-time',
    ...overrides,
  };
}

/** A fresh card's view: suggestions ready, nothing saved, nobody claimed, no autopilot. */
export function emailView(overrides: Partial<EmailCardView> = {}): EmailCardView {
  return {
    email: email(),
    mailbox: { address: 'support@contoso.com', displayName: 'Contoso Support', kind: 'shared' },
    associations: [],
    suggestions: {
      state: 'ready',
      items: [
        { type: 'contact', id: '7', name: 'Ana Souza', reason: 'sender ana@fabrikam.com is this contact' },
        { type: 'customer', id: '42', name: 'ACME Corp', reason: "the sender's company" },
        { type: 'supportcase', id: '311', name: 'Case 311: Late delivery', reason: 'open case of ACME Corp' },
      ],
    },
    claim: null,
    autopilot: null,
    netsuite: { configured: true },
    timeZone: 'UTC',
    ...overrides,
  };
}
