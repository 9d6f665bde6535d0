import { describe, expect, it } from 'vitest';
import { parseCommand, stripMention } from '../../../../bot/src/teams/commands/parse-command.js';

// Message text as Teams sends it for a channel @mention (activity.text), and as the Playground and chat send it.
const CHANNEL = '<at>Mailroom</at>&nbsp;/autopilot on sales@';
const LINKIFIED = '<at>Mailroom</at> /watch <a href="mailto:support@contoso.com">support@contoso.com</a>';

describe('parseCommand', () => {
  it('reads commands after the bot mention, with or without the slash', () => {
    expect(parseCommand(CHANNEL)).toEqual({
      kind: 'autopilot',
      action: 'on',
      target: { kind: 'mailbox', mailbox: 'sales@' },
    });
    expect(parseCommand(LINKIFIED)).toEqual({ kind: 'watch', mailbox: 'support@contoso.com' });
    expect(parseCommand('@Mailroom unwatch Support@Contoso.com')).toEqual({
      kind: 'unwatch',
      mailbox: 'support@contoso.com',
    });
    expect(parseCommand('autopilot off me')).toEqual({ kind: 'autopilot', action: 'off', target: { kind: 'me' } });
    expect(parseCommand('/autopilot status')).toEqual({ kind: 'autopilot', action: 'status' });
    expect(parseCommand('/autopilot STATUS sales@')).toEqual({
      kind: 'autopilot',
      action: 'status',
      target: { kind: 'mailbox', mailbox: 'sales@' },
    });
    expect(parseCommand('/help')).toEqual({ kind: 'help' });
    expect(parseCommand('<at>Mailroom</at>')).toEqual({ kind: 'help' });
  });

  it('reads /license with and without an action', () => {
    expect(parseCommand('/license')).toEqual({ kind: 'license', action: 'status' });
    expect(parseCommand('/license status')).toEqual({ kind: 'license', action: 'status' });
    expect(parseCommand('/license assign sales@contoso.com')).toEqual({
      kind: 'license',
      action: 'assign',
      target: { kind: 'mailbox', mailbox: 'sales@contoso.com' },
    });
    expect(parseCommand('/license unassign me')).toEqual({
      kind: 'license',
      action: 'unassign',
      target: { kind: 'me' },
    });
  });

  it('says what to type when an argument is missing', () => {
    expect(parseCommand('/autopilot')).toEqual({
      kind: 'error',
      message: '/autopilot needs on, off or status. Try: /autopilot on sales@',
    });
    expect(parseCommand('/autopilot on')).toEqual({
      kind: 'error',
      message: '/autopilot on needs a mailbox, or me for your own. Try: /autopilot on sales@',
    });
    expect(parseCommand('/watch')).toEqual({
      kind: 'error',
      message: '/watch needs a mailbox, or me for your own. Try: /watch support@contoso.com',
    });
    expect(parseCommand('/license assign')).toEqual({
      kind: 'error',
      message: "/license assign needs a mailbox or a person's address. Try: /license assign sales@",
    });
  });

  it('says what to type for a wrong word, a non-address, extra words or an unknown command', () => {
    expect(parseCommand('/autopilot enable sales@')).toMatchObject({
      kind: 'error',
      message: '/autopilot needs on, off or status (not "enable"). Try: /autopilot on sales@',
    });
    expect(parseCommand('/autopilot on sales')).toEqual({
      kind: 'error',
      message:
        '"sales" is not a mailbox. Write sales@ for a watched mailbox, or its full address. Try: /autopilot on sales@',
    });
    // `me` is the caller's own mailbox, for /watch and /unwatch as for /autopilot.
    expect(parseCommand('/watch me')).toEqual({ kind: 'watch', mailbox: 'me' });
    expect(parseCommand('/unwatch ME')).toEqual({ kind: 'unwatch', mailbox: 'me' });
    expect(parseCommand('/watch a@contoso.com b@contoso.com')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('Try: /watch support@contoso.com'),
    });
    expect(parseCommand('/license give sales@')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('Try: /license assign sales@'),
    });
    expect(parseCommand('hello there')).toEqual({
      kind: 'error',
      message: 'I don\'t know "hello". Try: /help, /watch support@contoso.com, /autopilot on sales@ or /license status',
    });
  });
});

describe('stripMention', () => {
  it('removes the mention in its HTML and plain forms, and only at the start for plain text', () => {
    expect(stripMention('<at>Mailroom</at> /help')).toBe('/help');
    expect(stripMention('<at id="0">Mailroom Bot</at>&nbsp;/help', 'Mailroom Bot')).toBe('/help');
    expect(stripMention('@mailroom /help')).toBe('/help');
    expect(stripMention('/watch mailroom@contoso.com')).toBe('/watch mailroom@contoso.com');
  });
});
