import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  theme: ThemeName;
  user: { name: string; tenantId: string } | null;
  teamName: string | null;
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
 * Inside Teams: TeamsJS context, live theme and the SSO token. Outside Teams (the sandbox, a plain browser),
 * initialize fails or never answers; then the theme comes from ?theme= and the token from the sandbox issuer.
 */
export async function connectHost(): Promise<Host> {
  const params = new URLSearchParams(window.location.search);
  try {
    // A top-level window with no Teams parent cannot be Teams; skip the wait.
    if (window.parent === window && !window.opener && !params.has('teams')) throw new Error('not framed');
    await withTimeout(app.initialize(), INIT_TIMEOUT_MS);
    const ctx = await app.getContext();
    app.notifySuccess();
    return {
      inTeams: true,
      theme: asTheme(ctx.app.theme),
      user: { name: ctx.user?.displayName ?? ctx.user?.userPrincipalName ?? '', tenantId: ctx.user?.tenant?.id ?? '' },
      teamName: ctx.team?.displayName ?? null,
      getToken: () => authentication.getAuthToken(),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(asTheme(t))),
    };
  } catch {
    const user = params.get('user') ?? '';
    return {
      inTeams: false,
      theme: asTheme(params.get('theme')),
      user: null,
      teamName: null,
      getToken: () => sandboxToken(user),
      onThemeChange: () => undefined,
    };
  }
}

let cached: { token: string; until: number } | undefined;

async function sandboxToken(user: string): Promise<string> {
  if (cached && cached.until > Date.now()) return cached.token;
  const res = await fetch(`/api/tab/dev-token${user ? `?user=${encodeURIComponent(user)}` : ''}`);
  if (!res.ok) {
    throw new Error(
      res.status === 404
        ? 'Open this dashboard from Teams, or run Mailroom in sandbox mode (npm start with no credentials).'
        : `The sandbox sign-in failed (${res.status}).`,
    );
  }
  const body = (await res.json()) as { token: string };
  cached = { token: body.token, until: Date.now() + 30 * 60_000 };
  return body.token;
}
