import type { Logger } from 'pino';
import type { MailboxStore, RecordService, SuggestionStore } from './ports.js';

export interface SuggestDeps {
  emails: SuggestionStore;
  mailboxes: Pick<MailboxStore, 'listActive'>;
  records: Pick<RecordService, 'configured' | 'suggest'>;
}

/** How long one lookup may take before the card shows what was found so far. */
const BUDGET_MS = 4_000;

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Looks up NetSuite records for an email's sender and recipients, minus the tenant's own addresses, and keeps
 * them for the card. The card is posted first (showing "looking up…") so NetSuite never delays it.
 */
export async function suggestForEmail(
  deps: SuggestDeps,
  tenantId: string,
  emailId: string,
  log: Logger,
): Promise<boolean> {
  if (!deps.records.configured) return false;
  const email = await deps.emails.byId(tenantId, emailId);
  if (!email) return false;
  const own = new Set((await deps.mailboxes.listActive(tenantId)).map((m) => domainOf(m.address)));
  const addresses = [email.from, ...email.to, ...email.cc]
    .map((a) => a.address.toLowerCase())
    .filter((a, i, all) => a.includes('@') && !own.has(domainOf(a)) && all.indexOf(a) === i);
  try {
    const items = addresses.length === 0 ? [] : await deps.records.suggest(addresses, { budgetMs: BUDGET_MS });
    await deps.emails.setSuggestions(tenantId, emailId, items);
    log.info({ addresses: addresses.length, suggestions: items.length }, 'suggestions ready');
  } catch (err) {
    // The card then offers typeahead search instead; the save path does not depend on suggestions.
    log.warn({ err }, 'suggestions failed');
    await deps.emails.setSuggestions(tenantId, emailId, 'failed');
  }
  return true;
}
