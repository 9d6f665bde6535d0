import { MailroomError } from '../../core/errors.js';

function split(input: string): { local: string; domain: string } {
  const value = input.trim().toLowerCase();
  const at = value.indexOf('@');
  return at < 0 ? { local: value, domain: '' } : { local: value.slice(0, at), domain: value.slice(at + 1) };
}

function watchHint(local: string, tenantDomains: readonly string[]): string {
  const examples = tenantDomains.length > 0 ? tenantDomains.map((d) => `${local}@${d}`) : [`${local}@yourdomain.com`];
  return examples.map((e) => `/watch ${e}`).join(' or ');
}

/**
 * Turns what a person typed into a full, lower-cased address. `sales@` names the one watched mailbox of the
 * tenant with that local part; a full address passes through, watched or not (the caller decides if it must be).
 */
export function resolveMailbox(
  input: string,
  watchedAddresses: readonly string[],
  tenantDomains: readonly string[] = [],
): string {
  const { local, domain } = split(input);
  if (domain !== '') return `${local}@${domain}`;
  const candidates = [...new Set(watchedAddresses.map((a) => a.trim().toLowerCase()))]
    .filter((a) => split(a).local === local)
    .sort();
  const [only] = candidates;
  if (candidates.length === 1 && only) return only;
  if (candidates.length > 1) {
    throw new MailroomError(
      'ambiguous_mailbox',
      `${local}@ could be ${candidates.join(' or ')}. Write the full address, e.g. ${candidates[0]}.`,
      { remedy: `Write the full address, e.g. ${candidates[0]}.` },
    );
  }
  const hint = watchHint(local, tenantDomains);
  throw new MailroomError(
    'unknown_mailbox',
    `No watched mailbox is called ${local}@. To watch it, run ${hint} in the channel that should get its mail.`,
    { remedy: `Run ${hint} in a channel first.` },
  );
}

/**
 * For /watch itself, where the mailbox is not watched yet: shorthand also expands to the tenant's only domain.
 * With several domains (or none known) the person is asked for the full address.
 */
export function resolveWatchTarget(
  input: string,
  watchedAddresses: readonly string[],
  tenantDomains: readonly string[] = [],
): string {
  const { local, domain } = split(input);
  if (domain !== '') return `${local}@${domain}`;
  if (watchedAddresses.some((a) => split(a).local === local)) {
    return resolveMailbox(input, watchedAddresses, tenantDomains);
  }
  const domains = [...new Set(tenantDomains.map((d) => d.trim().toLowerCase()))];
  const [onlyDomain] = domains;
  if (domains.length === 1 && onlyDomain) return `${local}@${onlyDomain}`;
  const hint = watchHint(local, domains);
  throw new MailroomError('unknown_mailbox', `Which ${local}@ mailbox? Write its full address. Try: ${hint}`, {
    remedy: `Try: ${hint}`,
  });
}
