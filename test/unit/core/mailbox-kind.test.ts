import { describe, expect, it } from 'vitest';
import { MAILBOX_KIND_LABEL, mailboxKind } from '../../../bot/src/core/mailbox-kind.js';

const mailboxKindLabel = (k: keyof typeof MAILBOX_KIND_LABEL) => MAILBOX_KIND_LABEL[k];

describe('mailboxKind', () => {
  it('labels a shared mailbox Shared, whoever watches it', () => {
    expect(mailboxKind('shared', 'support@contoso.com', 'adele@contoso.com')).toBe('shared');
    expect(mailboxKindLabel(mailboxKind('shared', 'support@contoso.com'))).toBe('Shared');
  });

  it('labels another person’s mailbox Delegate, and the watcher’s own User', () => {
    expect(mailboxKind('user', 'megan@contoso.com', 'adele@contoso.com')).toBe('delegate');
    expect(mailboxKind('user', 'Adele@Contoso.com', 'adele@contoso.com')).toBe('user');
    expect(mailboxKind('user', 'megan@contoso.com')).toBe('delegate');
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
