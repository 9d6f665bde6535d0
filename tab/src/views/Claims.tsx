import {
  Button,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api.js';
import { Notice, type NoticeText } from '../Notice.js';
import { TwoLineLink } from '../TwoLineLink.js';
import type { ClaimsByPerson, Me } from '../types.js';

function age(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} days`;
}

export function Claims({ team }: { me: Me; team?: string | undefined }) {
  const [people, setPeople] = useState<ClaimsByPerson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const load = useCallback(() => {
    api<{ people: ClaimsByPerson[] }>('GET', 'claims', { team }).then(
      (r) => setPeople(r.people),
      (e: unknown) => setError(errorText(e)),
    );
  }, [team]);
  useEffect(load, [load]);

  async function release(c: ClaimsByPerson['claims'][number], holder: string) {
    try {
      await api('POST', `claims/${encodeURIComponent(c.emailId)}/release`);
      setNotice({ intent: 'success', text: `Released "${c.subject}" from ${holder}; its card is open again.` });
      load();
    } catch (e) {
      setNotice({ intent: 'error', text: errorText(e) });
    }
  }

  if (error) {
    return <Notice intent="error" text={error} />;
  }
  if (!people) return <Spinner size="tiny" label="Loading claims…" />;
  return (
    <div>
      {notice && <Notice {...notice} />}
      {people.length === 0 && <p>Nobody has an open claim.</p>}
      {people.map((p) => (
        <section key={p.user.id} aria-label={`Claims of ${p.user.name}`}>
          <Text as="h2" weight="semibold" block>
            {p.user.name} · {p.claims.length} open
          </Text>
          <Table aria-label={`Emails claimed by ${p.user.name}`} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Email</TableHeaderCell>
                <TableHeaderCell>From</TableHeaderCell>
                <TableHeaderCell>Mailbox</TableHeaderCell>
                <TableHeaderCell>Claimed for</TableHeaderCell>
                <TableHeaderCell>Actions</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {p.claims.map((c) => (
                <TableRow key={c.emailId}>
                  <TableCell>
                    <TwoLineLink
                      href={c.outlookUrl}
                      text={c.subject || '(no subject)'}
                      label={`Open "${c.subject || '(no subject)'}" in Outlook`}
                    />
                  </TableCell>
                  <TableCell>{c.from.address}</TableCell>
                  <TableCell>{c.mailbox}</TableCell>
                  <TableCell>{age(c.ageMinutes)}</TableCell>
                  <TableCell>
                    {c.canRelease && (
                      <Button
                        size="small"
                        aria-label={`Release "${c.subject || '(no subject)'}" from ${p.user.name}`}
                        onClick={() => void release(c, p.user.name)}
                      >
                        Release
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      ))}
    </div>
  );
}
