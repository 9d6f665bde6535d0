import type { ServerResponse } from 'node:http';
import type { RecordStore } from './store.js';

/** UI paths (deep links) → REST record types the emulator knows. */
const PAGES: Record<string, string> = {
  'custjob.nl': 'customer',
  'contact.nl': 'contact',
  'vendor.nl': 'vendor',
  'partner.nl': 'partner',
  'supportcase.nl': 'supportCase',
  'crmmessage.nl': 'message',
  'opprtnty.nl': 'opportunity',
  'transaction.nl': 'transaction',
  'salesord.nl': 'salesOrder',
  'custinvc.nl': 'invoice',
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page for a deep link, so the sandbox's "open in NetSuite" links lead somewhere. */
export function renderRecordPage(store: RecordStore, url: URL, res: ServerResponse): void {
  const page = url.pathname.split('/').pop() ?? '';
  const type = PAGES[page];
  const id = url.searchParams.get('id') ?? '';
  const rec = type ? store.get(type, id) : undefined;
  res.writeHead(rec ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  if (!rec) {
    res.end('<!doctype html><title>Not found</title><p>No such record in the sandbox NetSuite.</p>');
    return;
  }
  const rows = Object.entries(rec.fields)
    .map(
      ([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' ? JSON.stringify(v) : String(v))}</td></tr>`,
    )
    .join('');
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${esc(type ?? '')} ${esc(id)}</title><h1>Sandbox NetSuite: ${esc(type ?? '')} ${esc(id)}</h1><table>${rows}</table>`,
  );
}
