import { describe, expect, it } from 'vitest';
import { resolveMailbox, resolveWatchTarget } from '../../../../bot/src/teams/commands/resolve-mailbox.js';

const WATCHED = ['support@contoso.com', 'sales@contoso.com', 'sales@fabrikam.com', 'billing@contoso.com'];

describe('resolveMailbox', () => {
  it('expands sales@ shorthand to the one watched mailbox with that local part', () => {
    expect(resolveMailbox('support@', WATCHED)).toBe('support@contoso.com');
    expect(resolveMailbox('Billing@', WATCHED)).toBe('billing@contoso.com');
  });

  it('passes a full address through, lower-cased', () => {
    expect(resolveMailbox('Ana@Contoso.COM', WATCHED)).toBe('ana@contoso.com');
  });

  it('lists the candidates when the shorthand is ambiguous', () => {
    expect(() => resolveMailbox('sales@', WATCHED)).toThrowError(
      expect.objectContaining({
        code: 'ambiguous_mailbox',
        message:
          'sales@ could be sales@contoso.com or sales@fabrikam.com. Write the full address, e.g. sales@contoso.com.',
      }),
    );
  });

  it('says how to /watch an unknown mailbox', () => {
    expect(() => resolveMailbox('hr@', WATCHED, ['contoso.com'])).toThrowError(
      expect.objectContaining({
        code: 'unknown_mailbox',
        message:
          'No watched mailbox is called hr@. To watch it, run /watch hr@contoso.com in the channel that should get its mail.',
      }),
    );
    expect(() => resolveMailbox('hr@', [])).toThrowError(/run \/watch hr@yourdomain\.com/);
  });
});

describe('resolveWatchTarget', () => {
  it('expands an unwatched shorthand to the tenant domain when there is only one', () => {
    expect(resolveWatchTarget('hr@', WATCHED, ['contoso.com'])).toBe('hr@contoso.com');
    expect(resolveWatchTarget('support@', WATCHED, ['contoso.com', 'fabrikam.com'])).toBe('support@contoso.com');
    expect(() => resolveWatchTarget('hr@', WATCHED, ['contoso.com', 'fabrikam.com'])).toThrowError(
      'Which hr@ mailbox? Write its full address. Try: /watch hr@contoso.com or /watch hr@fabrikam.com',
    );
  });
});
