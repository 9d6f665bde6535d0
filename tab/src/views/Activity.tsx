import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
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
import { when } from '../api.js';
import type { ActivityRow, Me } from '../types.js';
import { usePaged } from '../usePaged.js';
import { useFilterStyles } from './Associations.js';

const ACTIONS = [
  'save',
  'claim',
  'release',
  'rule_on',
  'rule_off',
  'license_assign',
  'license_unassign',
  'watch',
  'unwatch',
];

export function Activity(_props: { me: Me }) {
  const styles = useFilterStyles();
  const [filters, setFilters] = useState({ action: '', actor: '', from: '', to: '' });
  const paged = usePaged<ActivityRow>('activity', filters);
  const set = (k: keyof typeof filters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <div>
      <div className={styles.filters}>
        <Field label="Action">
          <Select value={filters.action} onChange={(_e, d) => set('action')(d.value)}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a.replace('_', ' ')}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Person">
          <Input value={filters.actor} placeholder="Name" onChange={(_e, d) => set('actor')(d.value)} />
        </Field>
        <Field label="From date">
          <Input type="date" value={filters.from} onChange={(_e, d) => set('from')(d.value)} />
        </Field>
        <Field label="To date">
          <Input type="date" value={filters.to} onChange={(_e, d) => set('to')(d.value)} />
        </Field>
      </div>
      {paged.error && (
        <MessageBar intent="error">
          <MessageBarBody>{paged.error}</MessageBarBody>
        </MessageBar>
      )}
      <Table aria-label="Activity" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>When</TableHeaderCell>
            <TableHeaderCell>Who</TableHeaderCell>
            <TableHeaderCell>Action</TableHeaderCell>
            <TableHeaderCell>Subject</TableHeaderCell>
            <TableHeaderCell>Detail</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {paged.items.map((a) => (
            <TableRow key={a.id}>
              <TableCell>{when(a.at)}</TableCell>
              <TableCell>{a.actor.name}</TableCell>
              <TableCell>{a.action.replace('_', ' ')}</TableCell>
              <TableCell>{a.subject}</TableCell>
              <TableCell>{a.detail ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!paged.loading && paged.items.length === 0 && <p>No activity matches.</p>}
      {paged.loading && <Spinner size="tiny" label="Loading…" />}
      {paged.hasMore && !paged.loading && (
        <Button className={styles.more} onClick={() => void paged.more()}>
          Load more
        </Button>
      )}
    </div>
  );
}
