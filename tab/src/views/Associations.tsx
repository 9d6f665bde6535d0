import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  makeStyles,
  SearchBox,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, dayRange, errorText, when } from '../api.js';
import { Notice, type NoticeText } from '../Notice.js';
import { TwoLineLink } from '../TwoLineLink.js';
import type { AssociationRow, MailboxName, Me } from '../types.js';
import { usePaged } from '../usePaged.js';

export const useFilterStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'flex-end', marginBottom: '12px' },
  more: { marginTop: '12px' },
  // Fluent's fixed layout squeezes addresses into each other; let columns size to their content.
  table: { tableLayout: 'auto' },
  reason: { maxWidth: '28ch', marginTop: '2px' },
  // A date and time read as one thing: never broken over two lines.
  date: { whiteSpace: 'nowrap' },
});

const STATUS_COLOR = { saved: 'success', pending: 'informative', partial: 'warning', failed: 'danger' } as const;

export function StatusBadge({ status }: { status: string }) {
  const color = STATUS_COLOR[status as keyof typeof STATUS_COLOR] ?? 'informative';
  return (
    <Badge appearance="tint" color={color}>
      {status}
    </Badge>
  );
}

export function Associations({ team }: { me: Me; team?: string | undefined }) {
  const styles = useFilterStyles();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState({ mailbox: '', savedBy: '', mode: '', status: '', from: '', to: '' });
  const [mailboxes, setMailboxes] = useState<MailboxName[]>([]);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const paged = usePaged<AssociationRow>('associations', {
    ...filters,
    q: q.trim(),
    savedBy: filters.savedBy.trim(),
    team,
    ...dayRange(filters.from, filters.to),
  });

  useEffect(() => {
    api<{ items: MailboxName[] }>('GET', 'mailboxes/names', { team }).then(
      (r) => setMailboxes(r.items),
      () => setMailboxes([]),
    );
  }, [team]);

  const set = (k: keyof typeof filters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));

  async function retry(row: AssociationRow) {
    try {
      await api('POST', `associations/${encodeURIComponent(row.id)}/retry`);
      paged.setItems((items) => items.map((r) => (r.id === row.id ? { ...r, status: 'pending', canRetry: false } : r)));
      setNotice({ intent: 'success', text: `Retrying the save of "${row.subject}" to ${row.record.name}.` });
    } catch (e) {
      setNotice({ intent: 'error', text: errorText(e) });
    }
  }

  return (
    <div>
      <search className={styles.filters}>
        <Field label="Search">
          <SearchBox
            aria-label="Search by subject, sender or record name"
            placeholder="Subject, sender or record"
            value={q}
            onChange={(_e, d) => setQ(d.value)}
          />
        </Field>
        <Field label="Mailbox">
          <Select value={filters.mailbox} onChange={(_e, d) => set('mailbox')(d.value)}>
            <option value="">All mailboxes</option>
            {mailboxes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.active ? m.address : `${m.address} (no longer watched)`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Saved by">
          <Input value={filters.savedBy} placeholder="Part of a name" onChange={(_e, d) => set('savedBy')(d.value)} />
        </Field>
        <Field label="Mode">
          <Select value={filters.mode} onChange={(_e, d) => set('mode')(d.value)}>
            <option value="">Any mode</option>
            <option value="one-time">One-time</option>
            <option value="autopilot">Autopilot</option>
          </Select>
        </Field>
        <Field label="Status">
          <Select value={filters.status} onChange={(_e, d) => set('status')(d.value)}>
            <option value="">Any status</option>
            <option value="saved">Saved</option>
            <option value="pending">Pending</option>
            <option value="partial">Partial</option>
            <option value="failed">Failed</option>
          </Select>
        </Field>
        <Field label="From date">
          <Input type="date" value={filters.from} onChange={(_e, d) => set('from')(d.value)} />
        </Field>
        <Field label="To date">
          <Input type="date" value={filters.to} onChange={(_e, d) => set('to')(d.value)} />
        </Field>
      </search>
      {notice && <Notice {...notice} />}
      {paged.error && <Notice intent="error" text={paged.error} />}
      <Table aria-label="Saved emails" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Saved</TableHeaderCell>
            <TableHeaderCell>Email</TableHeaderCell>
            <TableHeaderCell>From</TableHeaderCell>
            <TableHeaderCell>Mailbox</TableHeaderCell>
            <TableHeaderCell>NetSuite record</TableHeaderCell>
            <TableHeaderCell>Saved by</TableHeaderCell>
            <TableHeaderCell>Mode</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Actions</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {paged.items.map((r) => (
            <TableRow key={r.id}>
              <TableCell className={styles.date}>{when(r.createdAt)}</TableCell>
              <TableCell>
                <TwoLineLink
                  href={r.outlookUrl}
                  text={r.subject || '(no subject)'}
                  label={`Open "${r.subject}" in ${r.mailbox ? 'Outlook' : 'Teams'}`}
                />
              </TableCell>
              <TableCell>{r.from.name ? `${r.from.name} <${r.from.address}>` : r.from.address}</TableCell>
              <TableCell>{r.mailbox ? r.mailbox.address : 'Teams message'}</TableCell>
              <TableCell>
                <Link
                  href={r.record.url}
                  target="_blank"
                  rel="noreferrer"
                  aria-label={`Open ${r.record.name} in NetSuite`}
                >
                  {r.record.name}
                </Link>
              </TableCell>
              <TableCell>{r.savedBy.name}</TableCell>
              <TableCell>{r.mode}</TableCell>
              <TableCell>
                <StatusBadge status={r.status} />
                {/* Shown, not hovered: keyboard, touch and screen-reader users need the reason too. */}
                {r.error && (
                  <Caption1 block className={styles.reason}>
                    {r.error.message}
                  </Caption1>
                )}
              </TableCell>
              <TableCell>
                {r.canRetry && (
                  <Button size="small" onClick={() => void retry(r)} aria-label={`Retry saving "${r.subject}"`}>
                    Retry
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!paged.loading && !paged.error && paged.items.length === 0 && <p>No saved emails match.</p>}
      {paged.loading && <Spinner size="tiny" label="Loading…" />}
      {paged.hasMore && !paged.loading && (
        <Button className={styles.more} onClick={() => void paged.more()}>
          Load more
        </Button>
      )}
    </div>
  );
}
