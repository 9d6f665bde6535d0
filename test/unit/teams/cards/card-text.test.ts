import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, plainPreview } from '../../../../bot/src/teams/cards/card-text.js';
import { rendered } from './read-card.js';

/** True when no character that Teams' Markdown would act on is left unescaped. */
function inert(markdown: string): boolean {
  for (const line of markdown.split('\n')) {
    if (/^[ \t]*([-+*=]|\d+[.)])(\s|$)/.test(line)) return false;
    if (/^[ \t]*#/.test(line)) return false;
    let backslashes = 0;
    for (const ch of line) {
      if ('`*_[]<>#~|'.includes(ch) && backslashes % 2 === 0) return false;
      backslashes = ch === '\\' ? backslashes + 1 : 0;
    }
    if (/(^|[^\\])\{\{/.test(line) || /(^|[^\\])&#?[A-Za-z0-9]+;/.test(line)) return false;
  }
  return true;
}

const markdownish = fc.string({
  unit: fc.constantFrom(...'ab 1.-+*_[]()<>#`~|\\{}&;!\n=x'.split(''), 'https://evil.example', '**', '${'),
  maxLength: 80,
});

describe('escapeMarkdown', () => {
  it.each([
    ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['**x**', '\\*\\*x\\*\\*'],
    ['_x_', '\\_x\\_'],
    ['# h', '\\# h'],
    ['<b>bold</b>', '\\<b\\>bold\\</b\\>'],
    ['`code`', '\\`code\\`'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['{{DATE(2025-01-14T10:32:00Z)}}', '{\\{DATE(2025-01-14T10:32:00Z)}}'],
    ['AT&amp;T', 'AT\\&amp;T'],
    ['plain words, 10:32 & more', 'plain words, 10:32 & more'],
  ])('%s → %s', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('leaves nothing a Markdown renderer would interpret', () => {
    fc.assert(fc.property(markdownish, (s) => inert(escapeMarkdown(s))));
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), (s) => inert(escapeMarkdown(s))));
  });

  it('shows exactly what was typed once rendered (apart from leading indentation)', () => {
    fc.assert(
      fc.property(markdownish, (s) => {
        const expected = s.replace(/\r\n?/g, '\n').replace(/^[ \t]+/gm, '');
        // Link syntax cannot survive escaping, so the reader's view is the text itself.
        expect(rendered(escapeMarkdown(s))).toBe(expected);
      }),
    );
  });
});

describe('plainPreview', () => {
  it('collapses whitespace into one line', () => {
    expect(plainPreview('Hi team,\r\n\r\n  our order\tis late.  ')).toBe('Hi team, our order is late.');
  });

  it('cuts on a word boundary with an ellipsis', () => {
    expect(plainPreview('one two three four five', 12)).toBe('one two…');
  });

  it('is never longer than max, is a prefix of the flattened text, and ends with … exactly when cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 900 }), fc.integer({ min: 1, max: 700 }), (s, max) => {
        const flat = s.replace(/\s+/g, ' ').trim();
        const out = plainPreview(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(/\s\s|\n/.test(out)).toBe(false);
        if (flat.length <= max) {
          expect(out).toBe(flat);
        } else {
          expect(out.endsWith('…')).toBe(true);
          expect(flat.startsWith(out.slice(0, -1))).toBe(true);
        }
      }),
    );
  });

  it('defaults to about 600 characters', () => {
    expect(plainPreview('word '.repeat(500)).length).toBeLessThanOrEqual(600);
    expect(plainPreview('word '.repeat(500)).length).toBeGreaterThan(550);
  });
});

describe('invisible characters (issue 11, F6)', () => {
  it('removes bidi overrides and isolates, so a name reads in the order it is stored', () => {
    expect(plainPreview('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(escapeMarkdown('report\u2067fdp.exe\u2069')).toBe('reportfdp.exe');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(escapeMarkdown(`a${c}b`)).toBe('ab');
    }
  });

  it('removes zero-width spaces, word joiners and BOMs, and joiners beside ASCII', () => {
    expect(plainPreview('pay\u200Bpal.com')).toBe('paypal.com');
    expect(escapeMarkdown('\uFEFFmicro\u2060soft')).toBe('microsoft');
    expect(plainPreview('ad\u200Dmin\u200C')).toBe('admin');
  });

  it('keeps joiners where they do real work: emoji sequences and Persian', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(plainPreview(`We are ${family}`)).toBe(`We are ${family}`);
    expect(plainPreview('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBe(
      '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645',
    );
  });

  it('leaves no bidi control in any escaped text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '\u202E', '\u2066', '\u200B', '\u200D', 'x') }), (s) => {
        expect(escapeMarkdown(s)).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B]/);
      }),
    );
  });
});
