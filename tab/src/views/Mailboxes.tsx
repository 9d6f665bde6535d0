import {
  Badge,
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { api, errorText, when } from '../api.js';
import { Notice, type NoticeText } from '../Notice.js';
import type { MailboxCard, Me } from '../types.js';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(360px, 1fr))', gap: '16px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '12px', rowGap: '4px', margin: 0 },
  problems: { display: 'flex', flexDirection: 'column', gap: '8px' },
});

const LICENSE_COLOR = { licensed: 'success', unlicensed: 'warning', expired: 'danger' } as const;

/** The problem whose jobs an admin can run again (POST mailboxes/:id/retry-failed). */
const FAILED_JOBS = 'email_jobs_failed';

function retriedText(address: string, queued: number): string {
  if (queued === 0) {
    return `Nothing to try again for ${address}: its failed jobs were queued again already, or are older than a day.`;
  }
  return `Trying ${queued === 1 ? '1 failed email job' : `${queued} failed email jobs`} of ${address} again.`;
}

export function Mailboxes({ me, team }: { me: Me; team?: string | undefined }) {
  const styles = useStyles();
  const [items, setItems] = useState<MailboxCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const load = useCallback(() => {
    api<{ items: MailboxCard[] }>('GET', 'mailboxes', { team }).then(
      (r) => setItems(r.items),
      (e: unknown) => setError(errorText(e)),
    );
  }, [team]);
  useEffect(load, [load]);
  // The API decides (an owner of the mailbox's team or a listed admin); this only hides a button it would refuse.
  const canTryAgain = (m: MailboxCard) => me.admin.listed || me.admin.ownerOf.includes(m.address);

  async function tryAgain(m: MailboxCard) {
    setBusy((b) => new Set(b).add(m.id));
    try {
      const r = await api<{ queued: number }>('POST', `mailboxes/${encodeURIComponent(m.id)}/retry-failed`);
      setNotice({ intent: 'success', text: retriedText(m.address, r.queued) });
      load();
    } catch (e) {
      setNotice({ intent: 'error', text: errorText(e) });
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(m.id);
        return next;
      });
    }
  }

  if (error) {
    return <Notice intent="error" text={error} />;
  }
  if (!items) return <Spinner size="tiny" label="Loading mailboxes…" />;
  if (items.length === 0) return <p>No mailboxes are watched yet. Run /watch support@… in a channel.</p>;
  return (
    <div>
      {notice && <Notice {...notice} />}
      <div className={styles.grid}>
        {items.map((m) => (
          <Card key={m.id} aria-label={`Mailbox ${m.address}`}>
            <CardHeader
              header={
                <Text as="h2" weight="semibold">
                  {m.address}
                </Text>
              }
              description={`${m.kind} mailbox${m.channel.name ? ` · posts to ${m.channel.name}` : ''}`}
              action={
                <Badge
                  appearance="tint"
                  // No seat is only a problem once autopilot is on (then the problems below say so).
                  color={
                    m.license.status === 'unlicensed' && m.activeRules === 0
                      ? 'informative'
                      : LICENSE_COLOR[m.license.status]
                  }
                >
                  {m.license.status}
                </Badge>
              }
            />
            <dl className={styles.facts}>
              <dt>License seats</dt>
              <dd>
                {m.license.seatsUsed} of {m.license.seatsTotal} in use
              </dd>
              <dt>Subscription</dt>
              <dd>
                {m.subscription.status}
                {m.subscription.expiresAt ? `, expires ${when(m.subscription.expiresAt)}` : ''}
              </dd>
              <dt>Last notification</dt>
              <dd>{when(m.subscription.lastNotificationAt)}</dd>
              <dt>Last catch-up</dt>
              <dd>{when(m.subscription.lastCatchupAt)}</dd>
              <dt>Backlog</dt>
              <dd>
                {m.subscription.backlog.queued} queued, {m.subscription.backlog.running} running
              </dd>
              <dt>Failed email jobs</dt>
              <dd>
                {m.failedJobs.count} since {when(m.failedJobs.since)}
                {m.failedJobs.newest ? `, the newest ${when(m.failedJobs.newest.at)}` : ''}
              </dd>
              <dt>Autopilot rules</dt>
              <dd>{m.activeRules}</dd>
            </dl>
            <div className={styles.problems}>
              {m.problems.length === 0 && <Text>Healthy.</Text>}
              {m.license.status === 'unlicensed' && m.activeRules === 0 && (
                <Text>
                  No license seat, so autopilot cannot run here. To use it, a Mailroom admin runs /license assign{' '}
                  {m.address} in the channel.
                </Text>
              )}
              {m.problems.map((p) => (
                <MessageBar key={p.code} intent={p.severity} layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{p.problem}</MessageBarTitle> To fix: {p.fix}
                  </MessageBarBody>
                  {p.code === FAILED_JOBS && canTryAgain(m) && (
                    <MessageBarActions>
                      <Button
                        size="small"
                        disabled={busy.has(m.id)}
                        onClick={() => void tryAgain(m)}
                        aria-label={`Try the failed email jobs of ${m.address} again`}
                      >
                        {busy.has(m.id) ? 'Trying again…' : 'Try again'}
                      </Button>
                    </MessageBarActions>
                  )}
                </MessageBar>
              ))}
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}
