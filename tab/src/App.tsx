import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Switch,
  Tab,
  TabList,
  Text,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, errorText, setTokenSource } from './api.js';
import { connectHost, type Host, type ThemeName } from './teams.js';
import type { Me } from './types.js';
import { Activity } from './views/Activity.js';
import { Associations } from './views/Associations.js';
import { Claims } from './views/Claims.js';
import { Mailboxes } from './views/Mailboxes.js';
import { Rules } from './views/Rules.js';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const VIEWS = {
  associations: { label: 'Associations', View: Associations },
  rules: { label: 'Autopilot', View: Rules },
  mailboxes: { label: 'Mailboxes', View: Mailboxes },
  claims: { label: 'Claims', View: Claims },
  activity: { label: 'Activity', View: Activity },
} as const;
type ViewKey = keyof typeof VIEWS;

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    padding: '16px 24px',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  header: { display: 'flex', alignItems: 'baseline', gap: '12px', marginBottom: '8px' },
  body: { marginTop: '16px' },
});

export function App() {
  const styles = useStyles();
  const [host, setHost] = useState<Host | null>(null);
  const [theme, setTheme] = useState<ThemeName>('default');
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<ViewKey>('associations');
  // In a team, the views start narrowed to the mailboxes whose cards go to that team; one switch shows them all.
  const [teamOnly, setTeamOnly] = useState(true);
  const team = host?.team && teamOnly ? host.team.id : undefined;

  useEffect(() => {
    void connectHost().then((h) => {
      setHost(h);
      setTheme(h.theme);
      h.onThemeChange(setTheme);
      setTokenSource(h.getToken);
      api<Me>('GET', 'me').then(setMe, (e: unknown) => setError(errorText(e)));
    });
  }, []);

  const { View } = VIEWS[view];
  return (
    <FluentProvider theme={THEMES[theme]} data-theme={theme}>
      <main className={styles.page}>
        <header className={styles.header}>
          <Text as="h1" size={600} weight="semibold">
            Mailroom
          </Text>
          {me && (
            <Text size={200}>
              Signed in as {me.identity.name || me.identity.upn}
              {me.isAdmin ? ' (Mailroom admin)' : ''}
              {host && !host.inTeams ? ' · sandbox' : ''}
            </Text>
          )}
          {me && (
            <Text size={200} data-testid="admin-why">
              {me.admin.why}
            </Text>
          )}
          {me && host?.team && (
            <Switch
              checked={teamOnly}
              onChange={(_e, d) => setTeamOnly(d.checked)}
              label={`Only ${host.team.name}'s mailboxes`}
            />
          )}
        </header>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        {!me && !error && <Spinner label="Signing in…" />}
        {me?.reach.problem && (
          <MessageBar intent="warning" data-testid="reach-problem">
            <MessageBarBody>
              {me.reach.problem.title} {me.reach.problem.next} For your Mailroom admin: {me.reach.problem.fix}
            </MessageBarBody>
          </MessageBar>
        )}
        {me && !me.reach.all && !me.reach.problem && me.reach.mailboxes.length === 0 && (
          <MessageBar intent="info" data-testid="reach-empty">
            <MessageBarBody>
              You are not a member of a team that gets a watched mailbox's mail, so the Dashboard shows only your own
              saves, claims and autopilot rules. To see a mailbox's mail, ask an owner of the team whose channel gets
              its cards to add you to that team.
            </MessageBarBody>
          </MessageBar>
        )}
        {me && (
          <>
            <TabList
              aria-label="Dashboard views"
              selectedValue={view}
              onTabSelect={(_e, d) => setView(d.value as ViewKey)}
            >
              {Object.entries(VIEWS).map(([key, v]) => (
                <Tab key={key} value={key}>
                  {v.label}
                </Tab>
              ))}
            </TabList>
            <section className={styles.body} role="tabpanel" aria-label={VIEWS[view].label}>
              <View me={me} team={team} />
            </section>
          </>
        )}
      </main>
    </FluentProvider>
  );
}
