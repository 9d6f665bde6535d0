import type { Condition, Operand, SelectQuery } from './suiteql-parser.js';

/** A SuiteQL row: lower-case column names, values as strings, absent when null. */
export type SqlRow = Record<string, string | undefined>;

function value(op: Operand, row: SqlRow): string | undefined {
  switch (op.kind) {
    case 'column':
      return row[op.name];
    case 'literal':
      return op.value;
    case 'call': {
      const v = value(op.arg, row);
      if (v === undefined) return undefined;
      return op.fn === 'UPPER' ? v.toUpperCase() : v.toLowerCase();
    }
  }
}

/** SQL LIKE with `%`, `_` and an optional escapeChar character, as a whole-string match. */
export function likeToRegExp(pattern: string, escapeChar: string | undefined): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (escapeChar !== undefined && c === escapeChar && i + 1 < pattern.length) {
      i++;
      re += pattern.charAt(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** SQL's three-valued logic, folded: a comparison with NULL is not true. */
export function matches(cond: Condition, row: SqlRow): boolean {
  switch (cond.kind) {
    case 'and':
      return matches(cond.left, row) && matches(cond.right, row);
    case 'or':
      return matches(cond.left, row) || matches(cond.right, row);
    case 'not':
      return !matches(cond.inner, row);
    case 'cmp': {
      const l = value(cond.left, row);
      const r = value(cond.right, row);
      if (l === undefined || r === undefined) return false;
      return cond.op === '=' ? l === r : l !== r;
    }
    case 'like': {
      const l = value(cond.left, row);
      const p = value(cond.pattern, row);
      if (l === undefined || p === undefined) return false;
      return likeToRegExp(p, cond.escapeChar).test(l);
    }
  }
}

const numeric = (v: string | undefined) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);

function compare(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return a < b ? -1 : 1;
}

export function runQuery(q: SelectQuery, rows: SqlRow[]): SqlRow[] {
  const hits = rows.filter((r) => (q.where ? matches(q.where, r) : true));
  hits.sort((x, y) => {
    for (const o of q.orderBy) {
      const c = compare(x[o.column], y[o.column]);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
  return hits.map((r) => {
    const picked: SqlRow = {};
    const cols = q.columns === '*' ? Object.keys(r) : q.columns;
    for (const c of cols) if (r[c] !== undefined) picked[c] = r[c];
    return picked;
  });
}
