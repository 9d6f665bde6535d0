/**
 * Tokens of the SuiteQL subset Mailroom's own queries use. String literals follow SQL: quoted with `'`, and
 * `''` inside stands for one quote.
 */
export type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'op'; value: '=' | '<>' | '!=' | '(' | ')' | ',' | '*' };

export class SuiteQLSyntaxError extends Error {}

export function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= q.length) throw new SuiteQLSyntaxError('unterminated string literal');
        const ch = q.charAt(i);
        if (ch === "'") {
          if (q.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      out.push({ kind: 'string', value });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      const value = m?.[0] ?? c;
      out.push({ kind: 'ident', value });
      i += value.length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(q.slice(i));
      const value = m?.[0] ?? c;
      out.push({ kind: 'number', value });
      i += value.length;
    } else if (q.startsWith('<>', i) || q.startsWith('!=', i)) {
      out.push({ kind: 'op', value: q.startsWith('<>', i) ? '<>' : '!=' });
      i += 2;
    } else if ('=(),*'.includes(c)) {
      out.push({ kind: 'op', value: c as '=' | '(' | ')' | ',' | '*' });
      i++;
    } else {
      throw new SuiteQLSyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return out;
}
