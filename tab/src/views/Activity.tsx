import {
  Button,
  Field,
  Input,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useState } from 'react';
import { dayRange, when } from '../api.js';
import { Notice } from '../Notice.js';
import type { ActivityRow, AuditAction, Me } from '../types.js';
import { usePaged } from '../usePaged.js';
import { useFilterStyles } from './Associations.js';

/** Every action the audit log records (the type makes a new one a compile error here until it has a label). */
const ACTIONS: Record<AuditAction, string> = {
  watch: 'Watch a mailbox',
  move: 'Move a mailbox',
  unwatch: 'Stop watching',
  save: 'Save to NetSuite',
  claim: 'Claim',
  release: 'Release a claim',
  rule_on: 'Autopilot on',
  rule_off: 'Autopilot off',
  license_assign: 'Assign a license seat',
  license_unassign: 'Free a license seat',
  license_key: 'Install a license key',
  retry_jobs: 'Try failed jobs again',
};
const label = (action: string) => ACTIONS[action as AuditAction] ?? action.replaceAll('_', ' ');

export function Activity(_props: { me: Me; team?: string | undefined }) {
  const styles = useFilterStyles();
  const [filters, setFilters] = useState({ action: '', actor: '', from: '', to: '' });
  const paged = usePaged<ActivityRow>('activity', {
    action: filters.action,
    actor: filters.actor.trim(),
    ...dayRange(filters.from, filters.to),
  });
  const set = (k: keyof typeof filters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <div>
      <div className={styles.filters}>
        <Field label="Action">
          <Select value={filters.action} onChange={(_e, d) => set('action')(d.value)}>
            <option value="">Any action</option>
            {Object.entries(ACTIONS).map(([a, text]) => (
              <option key={a} value={a}>
                {text}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Person">
          <Input value={filters.actor} placeholder="Part of a name" onChange={(_e, d) => set('actor')(d.value)} />
        </Field>
        <Field label="From date">
          <Input type="date" value={filters.from} onChange={(_e, d) => set('from')(d.value)} />
        </Field>
        <Field label="To date">
          <Input type="date" value={filters.to} onChange={(_e, d) => set('to')(d.value)} />
        </Field>
      </div>
      {paged.error && <Notice intent="error" text={paged.error} />}
      <Table aria-label="Activity" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>When</TableHeaderCell>
            <TableHeaderCell>Who</TableHeaderCell>
            <TableHeaderCell>Action</TableHeaderCell>
            <TableHeaderCell>What happened</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {paged.items.map((a) => (
            <TableRow key={a.id}>
              <TableCell className={styles.date}>{when(a.at)}</TableCell>
              <TableCell>{a.actor.name}</TableCell>
              <TableCell>{label(a.action)}</TableCell>
              <TableCell>{a.summary}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!paged.loading && !paged.error && paged.items.length === 0 && <p>No activity matches.</p>}
      {paged.loading && <Spinner size="tiny" label="Loading…" />}
      {paged.hasMore && !paged.loading && (
        <Button className={styles.more} onClick={() => void paged.more()}>
          Load more
        </Button>
      )}
    </div>
  );
}
