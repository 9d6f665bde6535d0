import { SuiteQLSyntaxError, type Token, tokenize } from './suiteql-lexer.js';

export type Operand =
  | { kind: 'column'; name: string }
  | { kind: 'literal'; value: string }
  | { kind: 'call'; fn: 'UPPER' | 'LOWER'; arg: Operand };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'cmp'; op: '=' | '<>'; left: Operand; right: Operand }
  | { kind: 'like'; left: Operand; pattern: Operand; escapeChar: string | undefined };

export interface SelectQuery {
  columns: string[] | '*';
  table: string;
  where: Condition | undefined;
  orderBy: Array<{ column: string; desc: boolean }>;
}

/** Parses `SELECT cols FROM table [WHERE …] [ORDER BY …]`: the shapes Mailroom's query builders emit. */
export function parseSuiteQL(q: string): SelectQuery {
  const p = new Parser(tokenize(q));
  p.keyword('SELECT');
  const columns = p.columns();
  p.keyword('FROM');
  const table = p.ident().toLowerCase();
  const where = p.tryKeyword('WHERE') ? p.or() : undefined;
  const orderBy: SelectQuery['orderBy'] = [];
  if (p.tryKeyword('ORDER')) {
    p.keyword('BY');
    do {
      const column = p.ident().toLowerCase();
      const desc = p.tryKeyword('DESC');
      if (!desc) p.tryKeyword('ASC');
      orderBy.push({ column, desc });
    } while (p.tryOp(','));
  }
  p.end();
  return { columns, table, where, orderBy };
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isKeyword(word: string, t = this.peek()): boolean {
    return t?.kind === 'ident' && t.value.toUpperCase() === word;
  }

  keyword(word: string): void {
    if (!this.tryKeyword(word)) throw new SuiteQLSyntaxError(`expected ${word}`);
  }

  tryKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i++;
    return true;
  }

  tryOp(op: string): boolean {
    const t = this.peek();
    if (t?.kind !== 'op' || t.value !== op) return false;
    this.i++;
    return true;
  }

  ident(): string {
    const t = this.peek();
    if (t?.kind !== 'ident') throw new SuiteQLSyntaxError('expected a name');
    this.i++;
    return t.value;
  }

  end(): void {
    if (this.i < this.tokens.length) throw new SuiteQLSyntaxError(`unexpected ${JSON.stringify(this.peek())}`);
  }

  columns(): string[] | '*' {
    if (this.tryOp('*')) return '*';
    const cols = [this.ident().toLowerCase()];
    while (this.tryOp(',')) cols.push(this.ident().toLowerCase());
    return cols;
  }

  or(): Condition {
    let left = this.and();
    while (this.tryKeyword('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.tryKeyword('AND')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Condition {
    if (this.tryKeyword('NOT')) return { kind: 'not', inner: this.unary() };
    // A parenthesis opens a condition group unless it wraps an operand (only function calls take parentheses).
    if (this.tryOp('(')) {
      const inner = this.or();
      if (!this.tryOp(')')) throw new SuiteQLSyntaxError('expected )');
      return inner;
    }
    const left = this.operand();
    if (this.tryKeyword('LIKE')) {
      const pattern = this.operand();
      let escapeChar: string | undefined;
      if (this.tryKeyword('ESCAPE')) {
        const e = this.operand();
        if (e.kind !== 'literal' || e.value.length !== 1) throw new SuiteQLSyntaxError('ESCAPE takes one character');
        escapeChar = e.value;
      }
      return { kind: 'like', left, pattern, escapeChar };
    }
    const t = this.peek();
    if (t?.kind === 'op' && (t.value === '=' || t.value === '<>' || t.value === '!=')) {
      this.i++;
      return { kind: 'cmp', op: t.value === '=' ? '=' : '<>', left, right: this.operand() };
    }
    throw new SuiteQLSyntaxError('expected =, <> or LIKE');
  }

  private operand(): Operand {
    const t = this.peek();
    if (t?.kind === 'string' || t?.kind === 'number') {
      this.i++;
      return { kind: 'literal', value: t.value };
    }
    const name = this.ident();
    const fn = name.toUpperCase();
    if ((fn === 'UPPER' || fn === 'LOWER') && this.tryOp('(')) {
      const arg = this.operand();
      if (!this.tryOp(')')) throw new SuiteQLSyntaxError('expected )');
      return { kind: 'call', fn, arg };
    }
    return { kind: 'column', name: name.toLowerCase() };
  }
}
