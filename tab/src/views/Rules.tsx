import {
  Button,
  Caption1,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { api, errorText, when } from '../api.js';
import { Notice, type NoticeText } from '../Notice.js';
import type { Me, RuleRow } from '../types.js';
import { useFilterStyles } from './Associations.js';

export function Rules({ me, team }: { me: Me; team?: string | undefined }) {
  const styles = useFilterStyles();
  const [rules, setRules] = useState<RuleRow[] | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);

  const load = useCallback(() => {
    api<{ items: RuleRow[] }>('GET', 'rules', { team }).then(
      (r) => setRules(r.items),
      (e: unknown) => setNotice({ intent: 'error', text: errorText(e) }),
    );
  }, [team]);
  useEffect(load, [load]);

  async function turnOff(rule: RuleRow) {
    try {
      await api('POST', `rules/${encodeURIComponent(rule.id)}/off`);
      setNotice({ intent: 'success', text: `Autopilot for ${rule.match} is off.` });
      load();
    } catch (e) {
      // The API's refusal says who may turn the rule off; show it as it is.
      setNotice({ intent: 'error', text: errorText(e) });
    }
  }

  if (!rules) return notice ? <Notice {...notice} /> : <Spinner size="tiny" label="Loading rules…" />;
  return (
    <div>
      {notice && <Notice {...notice} />}
      <Table aria-label="Autopilot rules" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Kind</TableHeaderCell>
            <TableHeaderCell>Matches</TableHeaderCell>
            <TableHeaderCell>Mailbox</TableHeaderCell>
            <TableHeaderCell>Saves to</TableHeaderCell>
            <TableHeaderCell>Owner</TableHeaderCell>
            <TableHeaderCell>Created</TableHeaderCell>
            <TableHeaderCell>Actions</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rules.map((r) => (
            <TableRow key={r.id}>
              <TableCell>{r.kind}</TableCell>
              <TableCell>{r.match}</TableCell>
              <TableCell>{r.mailbox.address}</TableCell>
              <TableCell>
                {r.targets.length ? r.targets.map((t) => t.name).join(', ') : "the sender's record"}
              </TableCell>
              <TableCell>{r.owner.id === me.identity.oid ? `${r.owner.name} (you)` : r.owner.name}</TableCell>
              <TableCell className={styles.date}>{when(r.createdAt)}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  // Disabled but focusable, and described by the visible reason below, so keyboard, touch and
                  // screen-reader users all learn why.
                  disabledFocusable={!r.canTurnOff}
                  aria-describedby={r.canTurnOff ? undefined : `why-${r.id}`}
                  aria-label={`Turn off autopilot for ${r.match}`}
                  onClick={() => void turnOff(r)}
                >
                  Turn off
                </Button>
                {!r.canTurnOff && (
                  <Caption1 block id={`why-${r.id}`}>
                    Only {r.owner.name}, an owner of this mailbox's team or a Mailroom admin can turn this off.
                  </Caption1>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {rules.length === 0 && <p>No autopilot rules are on.</p>}
    </div>
  );
}
