import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsPattern,
  entitiesByEmailQuery,
  escapeLiteral,
  isValidEmail,
  openCasesQuery,
  searchQuery,
} from '../../../bot/src/netsuite/suiteql.js';
import { type Token, tokenize } from '../../../bot/src/sandbox/netsuite-emulator/suiteql-lexer.js';
import { parseSuiteQL } from '../../../bot/src/sandbox/netsuite-emulator/suiteql-parser.js';

/** The query's shape: every token, with string literals reduced to a placeholder. */
const shape = (q: string) => tokenize(q).map((t) => (t.kind === 'string' ? "'?'" : `${t.kind}:${t.value}`));
const literals = (q: string) =>
  tokenize(q)
    .filter((t): t is Extract<Token, { kind: 'string' }> => t.kind === 'string')
    .map((t) => t.value);

/** Undoes containsPattern's LIKE escaping: `%…%` with `\` before `%`, `_` and `\`. */
const unlike = (p: string) => p.slice(1, -1).replace(/\\([\\%_])/g, '$1');

describe('SuiteQL escaping', () => {
  it('doubles quotes', () => {
    expect(escapeLiteral("O'Brien & Sons")).toBe("'O''Brien & Sons'");
  });

  it('no input string changes the structure of a query', () => {
    const benign = 'x';
    const builders: Array<[string, (s: string) => string, (lit: string) => string]> = [
      ['openCasesQuery', (s) => openCasesQuery([s]), (l) => l],
    ];
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        for (const [, build, decode] of builders) {
          const q = build(input);
          expect(shape(q)).toEqual(shape(build(benign)));
          expect(() => parseSuiteQL(q)).not.toThrow();
          // Exactly one literal differs from the benign query's, and it holds the input verbatim.
          const before = literals(build(benign));
          const changed = literals(q).filter((l, i) => l !== before[i]);
          if (input !== benign) expect(changed.map(decode)).toEqual([input]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a typeahead text stays inside its LIKE patterns, wildcards and all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (input) => {
        for (const table of ['customer', 'contact', 'supportcase', 'transaction'] as const) {
          const q = searchQuery(table, input);
          expect(shape(q)).toEqual(shape(searchQuery(table, 'x')));
          const patterns = literals(q).filter((l) => l !== '\\');
          expect(patterns.length).toBeGreaterThan(0);
          for (const p of patterns) expect(unlike(p)).toBe(input.toUpperCase());
          expect(() => parseSuiteQL(q)).not.toThrow();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('escapes LIKE wildcards so "%" finds a percent sign, not everything', () => {
    expect(containsPattern('50%_off')).toBe("'%50\\%\\_off%' ESCAPE '\\'");
  });
});

describe('isValidEmail', () => {
  it.each(['ana@fabrikam.com', 'li.wei+orders@northwind.example', "o'brien@obrien.example"])('accepts %s', (a) => {
    expect(isValidEmail(a)).toBe(true);
  });

  it.each([
    "x' OR '1'='1@evil.example",
    'ana@fabrikam',
    'ana@@fabrikam.com',
    '.ana@fabrikam.com',
    'ana..ruiz@fabrikam.com',
    'ana@fabrikam.com\n',
    'a%@fabrikam.com',
    '',
  ])('refuses %j', (a) => {
    expect(isValidEmail(a)).toBe(false);
  });

  it('an address query refuses an invalid address instead of building it', () => {
    expect(() => entitiesByEmailQuery('contact', ["x' OR 1=1 --"])).toThrow(/valid email/);
  });
});
