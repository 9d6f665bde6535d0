import type { NetSuiteClient } from './client.js';
import { type Row, transactionName } from './rows.js';
import { customersByIdQuery, transactionByIdQuery } from './suiteql.js';

/**
 * A transaction of any type, for an unfurl: through SuiteQL's `transaction` table, because REST has no generic
 * `transaction` record (the REST API Browser lists each type, salesOrder, invoice, …, but no `transaction`).
 * Its customer is named by a second query, since SuiteQL gives the entity as an id.
 */
export async function transactionSummary(
  client: NetSuiteClient,
  id: string,
): Promise<{ name: string; facts: Array<{ title: string; value: string }> } | null> {
  const page = await client.suiteql<Row>(transactionByIdQuery(id), { limit: 1 });
  const row = page.items[0];
  if (!row) return null;
  let customer = row.entity ?? '';
  if (row.entity && /^\d+$/.test(row.entity)) {
    const named = await client.suiteql<Row>(customersByIdQuery([row.entity]), { limit: 1 });
    const c = named.items[0];
    if (c) customer = c.companyname || c.entityid || customer;
  }
  const facts = [
    { title: 'Number', value: row.tranid ?? '' },
    { title: 'Customer', value: customer },
    { title: 'Total', value: row.foreigntotal ?? '' },
  ].filter((f) => f.value !== '');
  return { name: transactionName(row), facts };
}
