import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  theme: ThemeName;
  user: { name: string; tenantId: string } | null;
  /** The team the tab is open in (TeamsJS `team.internalId`, the id Mailroom stores at /watch); null in personal scope. */
  team: { id: string; name: string } | null;
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

const INIT_TIMEOUT_MS = 2500;

function asTheme(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Teams did not answer')), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Whether a Teams host could be around: desktop and web Teams frame the tab (or open it as a pop-out), and the
 * mobile clients run it frameless with a native bridge (`window.nativeInterface`, which TeamsJS talks through).
 */
function mayBeInTeams(params: URLSearchParams): boolean {
  return window.parent !== window || Boolean(window.opener) || 'nativeInterface' in window || params.has('teams');
}

/**
 * Inside Teams: TeamsJS context, live theme and the SSO token. Outside Teams (the sandbox, a plain browser),
 * initialize fails or never answers; then the theme comes from ?theme= and the token from the sandbox issuer.
 */
export async function connectHost(): Promise<Host> {
  const params = new URLSearchParams(window.location.search);
  const hosted = mayBeInTeams(params);
  try {
    // A top-level window with no Teams around cannot be Teams; skip the wait.
    if (!hosted) throw new Error('not in Teams');
    await withTimeout(app.initialize(), INIT_TIMEOUT_MS);
    const ctx = await app.getContext();
    app.notifySuccess();
    return {
      inTeams: true,
      theme: asTheme(ctx.app.theme),
      user: { name: ctx.user?.displayName ?? ctx.user?.userPrincipalName ?? '', tenantId: ctx.user?.tenant?.id ?? '' },
      team: ctx.team?.internalId ? { id: ctx.team.internalId, name: ctx.team.displayName ?? 'this team' } : null,
      getToken: () => authentication.getAuthToken(),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(asTheme(t))),
    };
  } catch {
    const user = params.get('user') ?? '';
    const chosen = params.get('theme');
    return {
      inTeams: false,
      theme: chosen ? asTheme(chosen) : browserTheme(),
      user: null,
      // The sandbox plays a team tab with ?team=<Teams team id>&teamName=<name>.
      team: params.get('team') ? { id: params.get('team') ?? '', name: params.get('teamName') ?? 'this team' } : null,
      getToken: () => sandboxToken(user, hosted),
      // Outside Teams, with no ?theme=, the dashboard follows the browser's own scheme, live as Teams' would be.
      onThemeChange: (handler) => {
        if (chosen) return;
        for (const query of SCHEME_QUERIES) {
          window.matchMedia(query).addEventListener('change', () => handler(browserTheme()));
        }
      },
    };
  }
}

const SCHEME_QUERIES = ['(prefers-color-scheme: dark)', '(forced-colors: active)', '(prefers-contrast: more)'];

function browserTheme(): ThemeName {
  const is = (q: string) => window.matchMedia?.(q).matches ?? false;
  if (is('(forced-colors: active)') || is('(prefers-contrast: more)')) return 'contrast';
  return is('(prefers-color-scheme: dark)') ? 'dark' : 'default';
}

let cached: { token: string; until: number } | undefined;

async function sandboxToken(user: string, hosted: boolean): Promise<string> {
  if (cached && cached.until > Date.now()) return cached.token;
  const res = await fetch(`/api/tab/dev-token${user ? `?user=${encodeURIComponent(user)}` : ''}`);
  if (!res.ok) {
    // The sandbox issuer explains its own refusals (an unknown ?user=); without it, the route does not exist.
    const said = await res
      .json()
      .then((b: { error?: { code?: string; message?: string } }) =>
        b.error?.code === 'not_found' ? b.error.message : undefined,
      )
      .catch(() => undefined);
    if (said) throw new Error(said);
    throw new Error(
      res.status !== 404
        ? `The sandbox sign-in failed (${res.status}).`
        : hosted
          ? 'Teams did not answer the dashboard in time. Reload the tab; if it keeps happening, sign out of Teams and back in.'
          : 'Open this dashboard from Teams, or run Mailroom in sandbox mode (npm start with no credentials).',
    );
  }
  const body = (await res.json()) as { token: string };
  cached = { token: body.token, until: Date.now() + 30 * 60_000 };
  return body.token;
}
