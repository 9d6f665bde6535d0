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
  const messages = type === 'message' ? [rec] : messagesOf(store, type ?? '', id);
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${esc(type ?? '')} ${esc(id)}</title><h1>Sandbox NetSuite: ${esc(type ?? '')} ${esc(id)}</h1><table>${rows}</table>${messageList(store, messages, type === 'message')}`,
  );
}

/** Which message field links a message to a record of this type (NetSuite's Communication subtab). */
function linkField(type: string): 'entity' | 'activity' | 'transaction' | undefined {
  if (['customer', 'contact', 'vendor', 'partner', 'employee'].includes(type)) return 'entity';
  if (type === 'supportCase') return 'activity';
  if (['opportunity', 'salesOrder', 'invoice', 'transaction'].includes(type)) return 'transaction';
  return undefined;
}

function messagesOf(store: RecordStore, type: string, id: string) {
  const field = linkField(type);
  return field ? store.all('message').filter((m) => String(m.fields[field] ?? '') === id) : [];
}

/**
 * The messages saved to a record, each with its attachments (the message's `mediaitem` files), as a record's
 * Communication subtab lists them; on a message's own page, just its files.
 */
function messageList(store: RecordStore, messages: ReturnType<RecordStore['all']>, own: boolean): string {
  const filesOf = (messageId: string) =>
    (store.attachments.get(messageId) ?? []).map((fileId) => {
      const f = store.get('file', fileId);
      const size = Number(f?.fields.filesize ?? 0);
      return `<li>${esc(String(f?.fields.name ?? `file ${fileId}`))} (${esc(String(f?.fields.filetype ?? ''))}, ${size} bytes)</li>`;
    });
  if (own) {
    const m = messages[0];
    const files = m ? filesOf(m.id) : [];
    return `<h2>Attachments</h2>${files.length > 0 ? `<ul>${files.join('')}</ul>` : '<p>None.</p>'}`;
  }
  if (messages.length === 0) return '<h2>Messages</h2><p>None saved here yet.</p>';
  const items = messages.map((m) => {
    const files = filesOf(m.id);
    const attached = files.length > 0 ? `<ul>${files.join('')}</ul>` : '';
    return `<li><a href="/app/crm/common/crmmessage.nl?id=${esc(m.id)}">${esc(String(m.fields.subject ?? ''))}</a>${attached}</li>`;
  });
  return `<h2>Messages</h2><ul>${items.join('')}</ul>`;
}
