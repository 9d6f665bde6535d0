import {
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, errorText } from '../api.js';
import type { ClaimsByPerson, Me } from '../types.js';

function age(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} days`;
}

export function Claims(_props: { me: Me }) {
  const [people, setPeople] = useState<ClaimsByPerson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ people: ClaimsByPerson[] }>('GET', 'claims').then(
      (r) => setPeople(r.people),
      (e: unknown) => setError(errorText(e)),
    );
  }, []);

  if (error) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    );
  }
  if (!people) return <Spinner size="tiny" label="Loading claims…" />;
  if (people.length === 0) return <p>Nobody has an open claim.</p>;
  return (
    <div>
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
              </TableRow>
            </TableHeader>
            <TableBody>
              {p.claims.map((c) => (
                <TableRow key={c.emailId}>
                  <TableCell>
                    <Link href={c.outlookUrl} target="_blank" rel="noreferrer">
                      {c.subject || '(no subject)'}
                    </Link>
                  </TableCell>
                  <TableCell>{c.from.address}</TableCell>
                  <TableCell>{c.mailbox}</TableCell>
                  <TableCell>{age(c.ageMinutes)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      ))}
    </div>
  );
}
