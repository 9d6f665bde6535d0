/**
 * SuiteQL has no bind parameters, so every literal Mailroom puts into a query goes through `escapeLiteral`
 * and every address through `isValidEmail` first.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html (SuiteQL)
 */

/** Quotes a value as an SQL string literal; `'` doubles, which is the only character a literal needs escaped. */
export function escapeLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The escape character of LIKE patterns built here (SQL `ESCAPE '\'`). */
const LIKE_ESCAPE = '\\';

/** A `LIKE` pattern that matches `text` anywhere, with `%`, `_` and `\` in the text taken literally. */
export function containsPattern(text: string): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `${LIKE_ESCAPE}${c}`);
  return `${escapeLiteral(`%${escaped}%`)} ESCAPE '${LIKE_ESCAPE}'`;
}

// Deliberately narrower than RFC 5322: no quoted local parts, no comments, no IP literals. A real mailbox
// address passes (an apostrophe too: the literal escaping handles it); no spaces, `%`, double quotes or control characters.
const EMAIL =
  /^[A-Za-z0-9!#$&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isValidEmail(address: string): boolean {
  if (address.length > 254 || !EMAIL.test(address)) return false;
  const local = address.slice(0, address.indexOf('@'));
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

/** Entity tables that hold an email address, in match order. */
export const ENTITY_TABLES = ['contact', 'customer', 'vendor', 'partner'] as const;
export type EntityTable = (typeof ENTITY_TABLES)[number];

const ENTITY_COLUMNS: Record<EntityTable, string> = {
  contact: 'id, entityid, email, company',
  customer: 'id, entityid, companyname, email',
  vendor: 'id, entityid, companyname, email',
  partner: 'id, entityid, companyname, email',
};

/** `(col = 'a' OR col = 'b')`, each value escaped. */
function anyEquals(column: string, values: string[]): string {
  // An assert: callers pass at least one value; `()` would be a SuiteQL syntax error no person could act on.
  if (values.length === 0) throw new Error('anyEquals needs at least one value');
  return `(${values.map((v) => `${column} = ${escapeLiteral(v)}`).join(' OR ')})`;
}

/** Entities of one kind whose email is one of `addresses` (case-insensitive). Every address must be valid. */
export function entitiesByEmailQuery(table: EntityTable, addresses: string[]): string {
  // An assert that guards the query text: callers keep only valid addresses, so this is a defect, never input.
  for (const a of addresses) if (!isValidEmail(a)) throw new Error('not a valid email address');
  const lowered = addresses.map((a) => a.toLowerCase());
  return `SELECT ${ENTITY_COLUMNS[table]} FROM ${table} WHERE ${anyEquals('LOWER(email)', lowered)} ORDER BY id`;
}

export function customersByIdQuery(ids: string[]): string {
  return `SELECT id, entityid, companyname, email FROM customer WHERE ${anyEquals('id', ids)}`;
}

/** Support cases of these companies that are not closed (status 5 is Closed). */
export function openCasesQuery(companyIds: string[]): string {
  return `SELECT id, casenumber, title, company, status FROM supportcase WHERE ${anyEquals('company', companyIds)} AND status <> '5' ORDER BY id DESC`;
}

/** Opportunities of these companies still in progress (A) or with an estimate issued (B). */
export function openOpportunitiesQuery(entityIds: string[]): string {
  return `SELECT id, tranid, title, entity, status FROM transaction WHERE type = 'Opprtnty' AND ${anyEquals('entity', entityIds)} AND (status = 'A' OR status = 'B') ORDER BY id DESC`;
}

/** One transaction of any type, by internal id (unfurling a `transaction.nl` link). */
export function transactionByIdQuery(id: string): string {
  return `SELECT id, tranid, type, title, entity, foreigntotal FROM transaction WHERE id = ${escapeLiteral(id)}`;
}

export type SearchTable = 'customer' | 'contact' | 'supportcase' | 'transaction';

/** Typeahead: one table searched by name, email or number, case-insensitively. */
export function searchQuery(table: SearchTable, text: string): string {
  const p = containsPattern(text.toUpperCase());
  switch (table) {
    case 'customer':
      return `SELECT id, entityid, companyname, email FROM customer WHERE UPPER(companyname) LIKE ${p} OR UPPER(entityid) LIKE ${p} OR UPPER(email) LIKE ${p} ORDER BY companyname`;
    case 'contact':
      return `SELECT id, entityid, email, company FROM contact WHERE UPPER(entityid) LIKE ${p} OR UPPER(email) LIKE ${p} ORDER BY entityid`;
    case 'supportcase':
      return `SELECT id, casenumber, title, company FROM supportcase WHERE UPPER(title) LIKE ${p} OR UPPER(casenumber) LIKE ${p} ORDER BY id DESC`;
    case 'transaction':
      return `SELECT id, tranid, type, title, entity FROM transaction WHERE UPPER(tranid) LIKE ${p} OR UPPER(title) LIKE ${p} ORDER BY id DESC`;
  }
}
