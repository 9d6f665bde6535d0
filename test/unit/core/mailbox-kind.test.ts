import { describe, expect, it } from 'vitest';
import { MAILBOX_KIND_LABEL, mailboxKind } from '../../../bot/src/core/mailbox-kind.js';

const mailboxKindLabel = (k: keyof typeof MAILBOX_KIND_LABEL) => MAILBOX_KIND_LABEL[k];

const ADELE = 'a3d1c7e2-5b4f-4e0a-9c8d-7f6e5d4c3b2a';
const MEGAN = '6f2a3b4c-5d6e-4f7a-9b8c-0d1e2f3a4b5c';

describe('mailboxKind', () => {
  it('labels a shared mailbox Shared, whoever watches it', () => {
    expect(mailboxKind('shared', 'support@contoso.com', 'adele@contoso.com')).toBe('shared');
    expect(mailboxKindLabel(mailboxKind('shared', 'support@contoso.com'))).toBe('Shared');
  });

  it('labels another person’s mailbox Delegate, and the watcher’s own User', () => {
    expect(mailboxKind('user', MEGAN, ADELE)).toBe('delegate');
    expect(mailboxKind('user', ADELE.toUpperCase(), ADELE)).toBe('user');
    expect(mailboxKind('user', MEGAN)).toBe('delegate');
    expect(mailboxKindLabel('delegate')).toBe('Delegate');
    expect(mailboxKindLabel('user')).toBe('User');
  });

  it('keeps rooms and equipment apart, and anything else unknown', () => {
    expect(mailboxKind('room', 'board@contoso.com')).toBe('room');
    expect(mailboxKind('equipment', 'van@contoso.com')).toBe('equipment');
    expect(mailboxKind('others', 'x@contoso.com')).toBe('unknown');
    expect(mailboxKind('unknownFutureValue', 'x@contoso.com')).toBe('unknown');
  });
});
